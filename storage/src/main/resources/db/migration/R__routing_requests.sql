-- Repeatable migration (Flyway applies it after the versioned ones whenever this file changes): the current
-- definition of these functions, and the one place to change them. V53 created the first two, which it needed before
-- this file runs. See docs/development.md, "Where SQL lives".
--
-- routing_request (V53) gives each (run_id, request_id) that has decisions a 4-byte request_key, the key that
-- token_routing's rows carry instead of the two ids (the run is in no row of token_routing).

-- The request keys of the given (run, request) pairs, one per element in their order, making those that are missing
-- (first_routed_at: the earliest of the given microseconds from the Unix epoch of a new pair). Ingest's writer calls
-- it once a batch, in the batch's transaction, with the batch's distinct pairs in (run, request) order, so concurrent
-- writers lock new pairs in one order. Retention waits for the batch's transaction before it forgets keys
-- (moescope_hold_request_keys); a pair whose key was removed between the insert and the read all the same (by hand)
-- fails the transaction as a serialization failure, to be retried.
CREATE OR REPLACE FUNCTION moescope_request_keys(p_run_ids text[], p_request_ids text[], p_first_micros bigint[])
RETURNS integer[]
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    keys integer[];
BEGIN
    INSERT INTO routing_request (run_id, request_id, first_routed_at)
    SELECT u.run_id, u.request_id, min(timestamptz 'epoch' + u.micros * interval '1 microsecond')
    FROM unnest(p_run_ids, p_request_ids, p_first_micros) AS u(run_id, request_id, micros)
    -- only the missing pairs reach the key's default: ON CONFLICT would draw a key for every pair it skips
    WHERE NOT EXISTS (SELECT 1 FROM routing_request r WHERE r.run_id = u.run_id AND r.request_id = u.request_id)
    GROUP BY u.run_id, u.request_id
    ORDER BY u.run_id, u.request_id
    ON CONFLICT (run_id, request_id) DO NOTHING;
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

-- An insert into token_routing_named (fixtures, ad-hoc SQL): the row with its request's key.
CREATE OR REPLACE FUNCTION moescope_token_routing_named_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO token_routing (routed_at, token_index, token_id, request_key, phase, routing)
    VALUES (NEW.routed_at, NEW.token_index, NEW.token_id,
            (moescope_request_keys(ARRAY[NEW.run_id], ARRAY[NEW.request_id],
                                   ARRAY[(extract(epoch FROM NEW.routed_at) * 1000000)::bigint]))[1],
            NEW.phase, NEW.routing);
    RETURN NEW;
END
$$;

-- Holds back, until the calling transaction ends, every writer that has not yet taken its request keys, and waits for
-- those that have (moescope_request_keys inserts into routing_request, whose lock a writer keeps until it commits).
-- So a key that a batch was given is named by its rows, committed, before retention looks whether any row names it.
CREATE OR REPLACE FUNCTION moescope_hold_request_keys() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE routing_request IN SHARE ROW EXCLUSIVE MODE;
END
$$;

-- plpgsql, not sql: a database of a release before V53 gets this file too (ingest's test kit ReleasedMigrations), and
-- an sql function's body is checked against the tables when it is created.
-- Removes the request keys that retention left without rows: those whose first decision is older than p_keep (by
-- now()) and that no row of token_routing names. Called by moescope_apply_retention; returns how many it removed.
-- Each candidate costs one probe of token_routing's primary key; a key is a candidate from the time its first
-- decision falls out of retention until its last row has too, so a sweep looks at about the requests that began since
-- the sweep before.
CREATE OR REPLACE FUNCTION moescope_forget_requests(p_keep interval) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    forgotten integer;
BEGIN
    PERFORM moescope_hold_request_keys();
    DELETE FROM routing_request r
    WHERE r.first_routed_at < now() - p_keep
      AND NOT EXISTS (SELECT 1 FROM token_routing t WHERE t.request_key = r.request_key);
    GET DIAGNOSTICS forgotten = ROW_COUNT;
    RETURN forgotten;
END
$$;
