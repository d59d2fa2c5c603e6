-- The decisions of token_routing as one packed bytea per row, `routing`, instead of the four arrays layers,
-- expert_ids, weights and router_entropy, whose array headers alone took 96 B a row (docs/operations.md, "Storage";
-- docs/benchmarks.md, "Storage bytes per decision"). Java's io.moescope.storage.routing.PackedRouting is the codec
-- every writer and reader uses; R__routing_codec.sql holds the SQL functions that unpack it for ad-hoc queries, and
-- the current definition of moescope_routing_pack, declared here too because this migration runs before it.
--
-- The table is made anew rather than altered: a dropped column stays in every later row's null bitmap (8 B a row),
-- and the fixed-width columns come first so that they need no alignment padding. On the partitioned path the old
-- partitions move aside and the new table gets a partition for each of their days (and the default partition); on
-- TimescaleDB the new hypertable gets the old one's chunk interval, V2's compression settings, the old compression
-- and retention policies, and the chunks that were compressed are compressed again, so the upgrade leaves them as it
-- found them.

CREATE OR REPLACE FUNCTION moescope_routing_pack(p_layers smallint[], p_expert_ids smallint[],
                                                 p_weights smallint[], p_entropies smallint[]) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    n           integer := coalesce(cardinality(p_layers), 0);
    k           integer := CASE WHEN n = 0 THEN 0 ELSE cardinality(p_expert_ids) / n END;
    wide        boolean := coalesce((SELECT max(e) > 255 FROM unnest(p_expert_ids) AS e), false);
    consecutive boolean := n = 0 OR p_layers = ARRAY(SELECT (p_layers[1] + i)::smallint
                                                      FROM generate_series(0, n - 1) AS i);
    packed      bytea;
BEGIN
    packed := set_byte('\x00'::bytea, 0, CASE WHEN wide THEN 1 ELSE 0 END | CASE WHEN consecutive THEN 0 ELSE 2 END)
              || int2send(n::smallint) || int2send(k::smallint);
    IF consecutive THEN
        packed := packed || int2send(coalesce(p_layers[1], 0::smallint));
    ELSE
        packed := packed || (SELECT string_agg(int2send(l), ''::bytea ORDER BY i)
                             FROM unnest(p_layers) WITH ORDINALITY AS u(l, i));
    END IF;
    RETURN packed
        || coalesce((SELECT string_agg(CASE WHEN wide THEN int2send(e) ELSE set_byte('\x00'::bytea, 0, e) END,
                                       ''::bytea ORDER BY i)
                     FROM unnest(p_expert_ids) WITH ORDINALITY AS u(e, i)), '')
        || coalesce((SELECT string_agg(int2send(w), ''::bytea ORDER BY i)
                     FROM unnest(p_weights) WITH ORDINALITY AS u(w, i)), '')
        || coalesce((SELECT string_agg(int2send(coalesce(h, 32256::smallint)), ''::bytea ORDER BY i)
                     FROM unnest(p_entropies) WITH ORDINALITY AS u(h, i)), '');
END
$$;

DO $$
DECLARE
    storage_path   text := moescope_storage_path();
    days           date[];
    part           regclass;
    idx            regclass;
    chunk_interval interval;
    policy_after   interval;
    had_policy     boolean := false;
    keep           interval;
    compressed     timestamptz[];
    chunk          regclass;
BEGIN
    IF storage_path = 'timescaledb' THEN
        SELECT d.time_interval INTO chunk_interval
        FROM timescaledb_information.dimensions d
        WHERE d.hypertable_name = 'token_routing' AND d.column_name = 'routed_at';
        SELECT true, (j.config ->> 'compress_after')::interval INTO had_policy, policy_after
        FROM timescaledb_information.jobs j
        WHERE j.proc_name = 'policy_compression' AND j.hypertable_name = 'token_routing';
        SELECT (j.config ->> 'drop_after')::interval INTO keep
        FROM timescaledb_information.jobs j
        WHERE j.proc_name = 'policy_retention' AND j.hypertable_name = 'token_routing';
        SELECT coalesce(array_agg(c.range_start), '{}') INTO compressed
        FROM timescaledb_information.chunks c
        WHERE c.hypertable_name = 'token_routing' AND c.is_compressed;
    ELSE
        SELECT coalesce(array_agg(to_date(substring(c.relname FROM 16 FOR 8), 'YYYYMMDD')), '{}') INTO days
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'token_routing'::regclass AND c.relname ~ '^token_routing_p[0-9]{8}$';
        FOR part IN SELECT i.inhrelid::regclass FROM pg_inherits i WHERE i.inhparent = 'token_routing'::regclass LOOP
            FOR idx IN SELECT x.indexrelid::regclass FROM pg_index x WHERE x.indrelid = part LOOP
                EXECUTE format('ALTER INDEX %s RENAME TO %I', idx,
                               (SELECT relname FROM pg_class WHERE oid = idx) || '_v50');
            END LOOP;
            EXECUTE format('ALTER TABLE %s RENAME TO %I', part,
                           (SELECT relname FROM pg_class WHERE oid = part) || '_v50');
        END LOOP;
    END IF;
    ALTER TABLE token_routing RENAME TO token_routing_v50;
    ALTER INDEX token_routing_pkey RENAME TO token_routing_v50_pkey;

    IF storage_path = 'timescaledb' THEN
        CREATE TABLE token_routing (
            routed_at   timestamptz NOT NULL,
            token_index integer     NOT NULL,
            token_id    integer     NOT NULL,
            phase       smallint    NOT NULL,
            run_id      text        NOT NULL,
            request_id  text        NOT NULL,
            routing     bytea       NOT NULL,
            PRIMARY KEY (run_id, request_id, token_index, routed_at)
        );
        PERFORM create_hypertable('token_routing', by_range('routed_at', chunk_interval));
        ALTER TABLE token_routing SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'run_id',
            timescaledb.compress_orderby = 'request_id, token_index, routed_at');
    ELSE
        CREATE TABLE token_routing (
            routed_at   timestamptz NOT NULL,
            token_index integer     NOT NULL,
            token_id    integer     NOT NULL,
            phase       smallint    NOT NULL,
            run_id      text        NOT NULL,
            request_id  text        NOT NULL,
            routing     bytea       NOT NULL,
            PRIMARY KEY (run_id, request_id, token_index, routed_at)
        ) PARTITION BY RANGE (routed_at);
        CREATE TABLE token_routing_default PARTITION OF token_routing DEFAULT;
        PERFORM moescope_create_partitions(days);
    END IF;

    INSERT INTO token_routing (routed_at, token_index, token_id, phase, run_id, request_id, routing)
    SELECT routed_at, token_index, token_id, phase, run_id, request_id,
           moescope_routing_pack(layers, expert_ids, weights, router_entropy)
    FROM token_routing_v50;
    DROP TABLE token_routing_v50;

    IF storage_path = 'timescaledb' THEN
        IF had_policy THEN
            PERFORM add_compression_policy('token_routing', compress_after => policy_after);
        END IF;
        IF keep IS NOT NULL THEN
            PERFORM add_retention_policy('token_routing', drop_after => keep);
        END IF;
        FOR chunk IN SELECT format('%I.%I', c.chunk_schema, c.chunk_name)::regclass
                     FROM timescaledb_information.chunks c
                     WHERE c.hypertable_name = 'token_routing' AND c.range_start = ANY (compressed) LOOP
            PERFORM compress_chunk(chunk, if_not_compressed => true);
        END LOOP;
    END IF;
END
$$;
