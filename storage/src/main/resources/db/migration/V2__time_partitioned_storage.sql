-- Storage for volume: raw decisions partitioned by time (dropped by a retention setting), a time-bucketed rollup
-- maintained by ingest next to expert_load, and the same tables and views on both storage paths:
--
--   partitioned  plain PostgreSQL (15+), what the embedded default and the tests use: token_routing is declaratively
--                partitioned by RANGE (routed_at), one partition per UTC day, created ahead of time and on demand by
--                moescope_create_partitions(), dropped by moescope_apply_retention().
--   timescaledb  when the server offers the extension (pg_available_extensions) and preloads it (the docker-compose
--                setup): token_routing and expert_load_minute are hypertables with compression and retention
--                policies, and expert_load_hourly is a continuous aggregate. Set moescope.timescaledb = 'off' on the
--                database (ALTER DATABASE ... SET moescope.timescaledb = 'off') before migrating to stay on the plain
--                path anyway. Tested against a real TimescaleDB server in CI (TimescaleDbPathTest).
--
-- Idempotency with a partitioned table: a primary key (unique index) of a partitioned table must contain the
-- partition key, so the key is (run_id, request_id, token_index, routed_at). routed_at is part of the event (set by
-- the producer when the token's forward pass finished) and a redelivered Kafka record is byte for byte the record
-- that was stored, so a replay carries the same routed_at, lands in the same partition and conflicts on the same
-- key: it still inserts nothing twice. What this key no longer catches is a producer that re-sends a token with a
-- different timestamp (a re-run of the same run id, say); moescope producers never do.

-- The extension is created here only when it is not there yet: a managed PostgreSQL (and the timescaledb image's
-- init script) creates it for the database owner, who is not a superuser and may not read
-- shared_preload_libraries (that needs pg_read_all_settings), so the setting is read only by a role allowed to.
DO $$
BEGIN
    IF coalesce(current_setting('moescope.timescaledb', true), 'auto') <> 'off'
            AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
            AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
            AND pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') THEN
        IF current_setting('shared_preload_libraries') LIKE '%timescaledb%' THEN
            CREATE EXTENSION IF NOT EXISTS timescaledb;
        END IF;
    END IF;
END
$$;

-- The V1 table moves aside; its rows are copied into the new one below.
ALTER TABLE token_routing RENAME TO token_routing_v1;
ALTER INDEX token_routing_pkey RENAME TO token_routing_v1_pkey;

-- Unchanged columns; see V1 for their meaning. The key gains routed_at (see above).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        CREATE TABLE token_routing (
            run_id         text        NOT NULL,
            request_id     text        NOT NULL,
            token_index    integer     NOT NULL,
            token_id       integer     NOT NULL,
            phase          smallint    NOT NULL,
            routed_at      timestamptz NOT NULL,
            layers         smallint[]  NOT NULL,
            expert_ids     smallint[]  NOT NULL,
            weights        real[]      NOT NULL,
            router_entropy real[]      NOT NULL,
            PRIMARY KEY (run_id, request_id, token_index, routed_at)
        );
        PERFORM create_hypertable('token_routing', by_range('routed_at', INTERVAL '1 day'));
        ALTER TABLE token_routing SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'run_id',
            timescaledb.compress_orderby = 'request_id, token_index, routed_at');
        PERFORM add_compression_policy('token_routing', compress_after => INTERVAL '2 days');
    ELSE
        CREATE TABLE token_routing (
            run_id         text        NOT NULL,
            request_id     text        NOT NULL,
            token_index    integer     NOT NULL,
            token_id       integer     NOT NULL,
            phase          smallint    NOT NULL,
            routed_at      timestamptz NOT NULL,
            layers         smallint[]  NOT NULL,
            expert_ids     smallint[]  NOT NULL,
            weights        real[]      NOT NULL,
            router_entropy real[]      NOT NULL,
            PRIMARY KEY (run_id, request_id, token_index, routed_at)
        ) PARTITION BY RANGE (routed_at);
    END IF;
END
$$;

-- Which path this database is on: decided by what token_routing is, not by what is installed today.
CREATE FUNCTION moescope_storage_path() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN c.relkind = 'p' THEN 'partitioned' ELSE 'timescaledb' END
    FROM pg_class c
    WHERE c.oid = to_regclass('token_routing')
$$;

-- Creates the missing daily partitions (UTC days) of token_routing for the given days; returns how many it created.
-- A no-op on TimescaleDB, which creates chunks by itself. Ingest calls it for the days of a batch it has not seen
-- before (in the batch's transaction) and, ahead of time, for the next days; concurrent callers queue on an advisory
-- lock instead of racing on the same partition.
CREATE FUNCTION moescope_create_partitions(p_days date[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    day     date;
    name    text;
    created integer := 0;
BEGIN
    IF moescope_storage_path() <> 'partitioned' THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('moescope_create_partitions'));
    FOR day IN SELECT DISTINCT d FROM unnest(p_days) AS d WHERE d IS NOT NULL ORDER BY d LOOP
        name := 'token_routing_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF token_routing FOR VALUES FROM (%L) TO (%L)', name,
                           day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- Raw decisions older than p_keep (by routed_at) are dropped, a whole day at a time: on the partitioned path the
-- partitions that end before now() - p_keep are dropped here; on TimescaleDB the retention policy is set to p_keep
-- (and its background job drops chunks). p_keep NULL keeps everything (and removes the policy). Rollups are kept:
-- they are what dashboards read. Returns the partitions dropped (always 0 on TimescaleDB).
CREATE FUNCTION moescope_apply_retention(p_keep interval) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    partition regclass;
    day       date;
    dropped   integer := 0;
    current   interval;
BEGIN
    IF moescope_storage_path() = 'timescaledb' THEN
        SELECT (j.config ->> 'drop_after')::interval INTO current
        FROM timescaledb_information.jobs j
        WHERE j.proc_name = 'policy_retention' AND j.hypertable_name = 'token_routing';
        IF current IS DISTINCT FROM p_keep THEN
            PERFORM remove_retention_policy('token_routing', if_exists => true);
            IF p_keep IS NOT NULL THEN
                PERFORM add_retention_policy('token_routing', drop_after => p_keep);
            END IF;
        END IF;
        RETURN 0;
    END IF;
    IF p_keep IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('moescope_create_partitions'));
    FOR partition IN SELECT i.inhrelid::regclass FROM pg_inherits i WHERE i.inhparent = 'token_routing'::regclass LOOP
        IF partition::text ~ '^token_routing_p[0-9]{8}$' THEN
            day := to_date(substring(partition::text FROM 16 FOR 8), 'YYYYMMDD');
            IF ((day + 1)::timestamp AT TIME ZONE 'UTC') <= now() - p_keep THEN
                EXECUTE format('DROP TABLE %s', partition);
                dropped := dropped + 1;
            END IF;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;

-- Rows of a V1 database move over; their days' partitions first.
SELECT moescope_create_partitions(array_agg(DISTINCT (routed_at AT TIME ZONE 'UTC')::date)) FROM token_routing_v1;
INSERT INTO token_routing SELECT * FROM token_routing_v1;
DROP TABLE token_routing_v1;

-- Hard counts per run, minute, layer, expert and phase: the heatmap over time. Maintained by ingest in the same
-- transaction as the raw rows, like expert_load (which stays: the whole-run heatmap reads one small table).
CREATE TABLE expert_load_minute (
    run_id  text        NOT NULL,
    bucket  timestamptz NOT NULL,            -- the minute's start (UTC-aligned)
    layer   integer     NOT NULL,
    expert  integer     NOT NULL,
    phase   smallint    NOT NULL,
    tokens  bigint      NOT NULL,
    PRIMARY KEY (run_id, bucket, layer, expert, phase)
);

INSERT INTO expert_load_minute (run_id, bucket, layer, expert, phase, tokens)
SELECT t.run_id, date_bin('1 minute', t.routed_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
       t.layers[(e.position - 1) / (cardinality(t.expert_ids) / cardinality(t.layers)) + 1], e.expert, t.phase,
       count(*)
FROM token_routing t
CROSS JOIN LATERAL unnest(t.expert_ids) WITH ORDINALITY AS e(expert, position)
GROUP BY 1, 2, 3, 4, 5;

-- Hourly counts, the coarser time axis. A continuous aggregate over the minute rollup on TimescaleDB (real-time, so
-- it includes what the refresh policy has not materialised yet); a plain view on PostgreSQL. Same columns on both.
-- (The minute rollup itself cannot be a continuous aggregate of token_routing: it needs unnest() of the expert
-- arrays, and continuous aggregates allow no set-returning functions.)
DO $$
BEGIN
    IF moescope_storage_path() = 'timescaledb' THEN
        PERFORM create_hypertable('expert_load_minute', by_range('bucket', INTERVAL '7 days'), migrate_data => true);
        ALTER TABLE expert_load_minute SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'run_id',
            timescaledb.compress_orderby = 'layer, expert, phase, bucket');
        PERFORM add_compression_policy('expert_load_minute', compress_after => INTERVAL '7 days');
        CREATE MATERIALIZED VIEW expert_load_hourly
        WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        SELECT run_id, time_bucket(INTERVAL '1 hour', bucket) AS bucket, layer, expert, phase,
               sum(tokens)::bigint AS tokens
        FROM expert_load_minute
        GROUP BY run_id, time_bucket(INTERVAL '1 hour', bucket), layer, expert, phase
        WITH NO DATA;
        PERFORM add_continuous_aggregate_policy('expert_load_hourly', start_offset => NULL,
                                                end_offset => INTERVAL '1 hour',
                                                schedule_interval => INTERVAL '15 minutes');
    ELSE
        CREATE VIEW expert_load_hourly AS
        SELECT run_id, date_bin('1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket, layer, expert,
               phase, sum(tokens)::bigint AS tokens
        FROM expert_load_minute
        GROUP BY 1, 2, 3, 4, 5;
    END IF;
END
$$;
