-- Repeatable migration (Flyway applies it after the versioned ones whenever this file changes): the current
-- definition of these functions, and the one place to change them. V53 created the first two, which it needed before
-- this file runs. See docs/development.md, "Where SQL lives".
--
-- routing_request (V53) gives each (run_id, request_id) that has decisions a 4-byte request_key, the key that
-- token_routing's rows carry instead of the two ids (the run is in no row of token_routing).

-- The request keys of the given (run, request) pairs, one per element in their order, making those that are missing
-- (first_routed_at: the earliest of the given microseconds from the Unix epoch of a new pair; the key: one that no
-- request holds, moescope_free_request_keys). Ingest's writer calls it once a batch, in the batch's transaction, with
-- the batch's distinct pairs in (run, request) order, so concurrent writers lock new pairs in one order. Retention
-- waits for the batch's transaction before it forgets keys (moescope_hold_request_keys); a pair whose key was removed
-- between the insert and the read all the same (by hand) fails the transaction as a serialization failure, to be
-- retried.
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

-- p_count keys that no request holds, in ascending order from the key sequence's next value (V54: the sequence
-- cycles). Until the sequence first wraps, and after it wherever retention has freed the keys ahead, that is the
-- sequence's next values, each checked with one probe of the primary key. A value that a request holds is passed
-- over to the first free key after it, where the sequence is set to go on. Draws hold an advisory lock of their own
-- for their few probes, not until commit (a draw waits for nothing else, so it cannot deadlock with what the batch
-- locks): no draw falls between another's search and its setval, so two requests never get one key. The primary key
-- checks that as well.
CREATE OR REPLACE FUNCTION moescope_free_request_keys(p_count integer) RETURNS integer[]
LANGUAGE plpgsql AS $$
DECLARE
    seq   regclass := pg_get_serial_sequence('routing_request', 'request_key')::regclass;
    keys  integer[] := '{}';
    drawn integer;
BEGIN
    PERFORM pg_advisory_lock(hashtext('moescope_free_request_keys'));
    BEGIN
        FOR i IN 1 .. p_count LOOP
            drawn := nextval(seq);
            IF EXISTS (SELECT 1 FROM routing_request r WHERE r.request_key = drawn) THEN
                drawn := moescope_first_free_request_key(seq, drawn);
                PERFORM setval(seq, drawn);
            END IF;
            keys := keys || drawn;
        END LOOP;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        -- a session's advisory lock outlives the transaction: left held, it would stop every writer
        PERFORM pg_advisory_unlock(hashtext('moescope_free_request_keys'));
        RAISE;
    END;
    PERFORM pg_advisory_unlock(hashtext('moescope_free_request_keys'));
    RETURN keys;
END
$$;

-- The first key after p_held (a key a request holds) up to the sequence's last value, or else from its first value,
-- that no request holds; refuses, naming the key space and what frees it, when requests hold every key. Reads the
-- primary key's entries from p_held on, as many as there are held keys before the free one: after the wrap, where
-- retention has freed the oldest keys, a few; when requests hold every key, all of them before it refuses.
CREATE OR REPLACE FUNCTION moescope_first_free_request_key(p_seq regclass, p_held integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    first_key bigint;
    last_key  bigint;
    free      integer;
BEGIN
    SELECT s.seqmin, s.seqmax INTO first_key, last_key FROM pg_sequence s WHERE s.seqrelid = p_seq;
    free := coalesce(moescope_free_request_key_between(p_held, last_key),
                     moescope_free_request_key_between(first_key, p_held::bigint - 1));
    IF free IS NULL THEN
        RAISE EXCEPTION 'no free request key: requests that still have rows hold all % keys of'
            ' routing_request.request_key (% to %); set or shorten moescope.storage.raw-retention, whose sweeps free'
            ' the keys of requests whose rows they dropped', last_key - first_key + 1, first_key, last_key
            USING ERRCODE = '53400';
    END IF;
    RETURN free;
END
$$;

-- The first key in [p_from, p_to] that no request holds, or null.
CREATE OR REPLACE FUNCTION moescope_free_request_key_between(p_from bigint, p_to bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    free integer;
BEGIN
    IF p_from > p_to THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM routing_request r WHERE r.request_key = p_from) THEN
        RETURN p_from;
    END IF;
    -- the first held key whose successor is free: the index's entries in order, up to it (the successor in bigint,
    -- as the last key has none in integer)
    SELECT h.request_key + 1 INTO free
    FROM (SELECT r.request_key, lead(r.request_key) OVER (ORDER BY r.request_key) AS next_held
          FROM routing_request r
          WHERE r.request_key BETWEEN p_from AND p_to) h
    WHERE h.request_key < p_to AND h.next_held IS DISTINCT FROM h.request_key::bigint + 1
    ORDER BY h.request_key
    LIMIT 1;
    RETURN free;
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
-- those that have (moescope_request_keys locks routing_request to insert, a lock a writer keeps until it commits).
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
