-- V53's request_key is an integer identity that never gave a key twice: after 2,147,483,647 requests over the
-- database's life (25 days at 1,000 requests a second, for a tap in front of a serving engine) every batch with a
-- new request failed with "reached maximum value of sequence", and ingest stopped for good. The sequence now starts
-- again at 1 after its last value, and moescope_request_keys (R__routing_requests.sql) gives a new request the next
-- key that no request holds: after the wrap, the keys that retention freed (moescope_forget_requests). So the key
-- space bounds the requests held at once, not those ever stored. The column stays 4 bytes (the raw rows' size,
-- docs/benchmarks.md); the keys already given stay as they are.
ALTER TABLE routing_request ALTER COLUMN request_key SET CYCLE;

-- moescope_request_keys as R__routing_requests.sql (the one place to change it) declares it since V54, declared here
-- too, as V53 declared it: V53's declaration must not outlast this migration in a database that ran the file's
-- current text before V53 (Flyway applies a repeatable migration again only when its text changed). The functions it
-- calls are the file's.
CREATE OR REPLACE FUNCTION moescope_request_keys(p_run_ids text[], p_request_ids text[], p_first_micros bigint[])
RETURNS integer[]
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    new_runs     text[];
    new_requests text[];
    new_firsts   timestamptz[];
    keys         integer[];
BEGIN
    -- the lock that retention waits for (moescope_hold_request_keys), whether or not the batch has a new request
    LOCK TABLE routing_request IN ROW EXCLUSIVE MODE;
    -- only the missing pairs draw keys: ON CONFLICT would draw a key for every pair it skips
    SELECT array_agg(m.run_id ORDER BY m.run_id, m.request_id), array_agg(m.request_id ORDER BY m.run_id, m.request_id),
           array_agg(m.first_at ORDER BY m.run_id, m.request_id)
    INTO new_runs, new_requests, new_firsts
    FROM (SELECT u.run_id, u.request_id, min(timestamptz 'epoch' + u.micros * interval '1 microsecond') AS first_at
          FROM unnest(p_run_ids, p_request_ids, p_first_micros) AS u(run_id, request_id, micros)
          WHERE NOT EXISTS (SELECT 1 FROM routing_request r
                            WHERE r.run_id = u.run_id AND r.request_id = u.request_id)
          GROUP BY u.run_id, u.request_id) m;
    IF new_runs IS NOT NULL THEN
        INSERT INTO routing_request (request_key, run_id, request_id, first_routed_at)
        SELECT n.request_key, n.run_id, n.request_id, n.first_routed_at
        FROM unnest(moescope_free_request_keys(cardinality(new_runs)), new_runs, new_requests, new_firsts)
             AS n(request_key, run_id, request_id, first_routed_at)
        ORDER BY n.run_id, n.request_id
        ON CONFLICT (run_id, request_id) DO NOTHING;
    END IF;
    SELECT array_agg(r.request_key ORDER BY u.i) INTO keys
    FROM unnest(p_run_ids, p_request_ids) WITH ORDINALITY AS u(run_id, request_id, i)
    LEFT JOIN routing_request r ON r.run_id = u.run_id AND r.request_id = u.request_id;
    IF array_position(keys, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'request % of run % lost its request_key to retention while being written; retry the batch',
            p_request_ids[array_position(keys, NULL)], p_run_ids[array_position(keys, NULL)]
            USING ERRCODE = '40001';
    END IF;
    RETURN keys;
END
$$;
