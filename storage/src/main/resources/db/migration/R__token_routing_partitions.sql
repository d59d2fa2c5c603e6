-- Repeatable migration (Flyway applies it after the versioned ones whenever this file changes): the current
-- definition of these functions, and the one place to change them. Versioned migrations created them first (V2, V4);
-- they keep those definitions because released migrations are never edited. See docs/development.md, "Where SQL
-- lives".

-- Which path this database is on: decided by what token_routing is, not by what is installed today.
CREATE OR REPLACE FUNCTION moescope_storage_path() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN c.relkind = 'p' THEN 'partitioned' ELSE 'timescaledb' END
    FROM pg_class c
    WHERE c.oid = to_regclass('token_routing')
$$;

-- Creates the missing daily partitions (UTC days) of token_routing for the given days; returns how many it created.
-- A no-op on TimescaleDB, which creates chunks by itself. Ingest calls it for the days of a batch it has not seen
-- before (in the batch's transaction) and, ahead of time, for the next days; concurrent callers queue on an advisory
-- lock instead of racing on the same partition. Rows of the day already in the default partition (V4) move into the
-- new partition: PostgreSQL refuses to create a partition over rows the default partition holds.
CREATE OR REPLACE FUNCTION moescope_create_partitions(p_days date[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    day     date;
    name    text;
    low     timestamptz;
    high    timestamptz;
    created integer := 0;
BEGIN
    IF moescope_storage_path() <> 'partitioned' THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('moescope_create_partitions'));
    FOR day IN SELECT DISTINCT d FROM unnest(p_days) AS d WHERE d IS NOT NULL ORDER BY d LOOP
        name := 'token_routing_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(name) IS NULL THEN
            low := day::timestamp AT TIME ZONE 'UTC';
            high := (day + 1)::timestamp AT TIME ZONE 'UTC';
            IF to_regclass('token_routing_default') IS NOT NULL
                    AND EXISTS (SELECT 1 FROM token_routing_default WHERE routed_at >= low AND routed_at < high) THEN
                -- The day's rows are in the default partition: a partition cannot be created over them, so they move
                -- into a new table that is then attached.
                EXECUTE format('CREATE TABLE %I (LIKE token_routing INCLUDING ALL)', name);
                EXECUTE format('WITH moved AS (DELETE FROM token_routing_default WHERE routed_at >= %L'
                               ' AND routed_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', low, high, name);
                EXECUTE format('ALTER TABLE token_routing ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name,
                               low, high);
            ELSE
                EXECUTE format('CREATE TABLE %I PARTITION OF token_routing FOR VALUES FROM (%L) TO (%L)', name,
                               low, high);
            END IF;
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- Raw decisions older than p_keep (by routed_at) are dropped, a whole day at a time: on the partitioned path the
-- partitions that end before now() - p_keep are dropped here, and older rows of the default partition deleted; on
-- TimescaleDB the retention policy is set to p_keep (and its background job drops chunks). p_keep NULL keeps
-- everything (and removes the policy). Rollups are kept: they are what dashboards read. On both paths the request keys
-- (V53) that no row names any more are removed (moescope_forget_requests; on TimescaleDB those of the chunks the
-- policy dropped before this call). Returns the partitions dropped (always 0 on TimescaleDB).
CREATE OR REPLACE FUNCTION moescope_apply_retention(p_keep interval) RETURNS integer
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
        IF p_keep IS NOT NULL THEN
            PERFORM moescope_forget_requests(p_keep);
        END IF;
        RETURN 0;
    END IF;
    IF p_keep IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('moescope_create_partitions'));
    -- Before any partition is dropped: a batch that got its request keys but has not written its rows yet must
    -- commit first, or its rows' key could be forgotten (moescope_forget_requests). After the advisory lock, which a
    -- batch takes before its keys when it creates a partition, and before the drops, which lock token_routing that a
    -- batch writes after its keys: in the order batches take them, so the two cannot deadlock.
    PERFORM moescope_hold_request_keys();
    FOR partition IN SELECT i.inhrelid::regclass FROM pg_inherits i WHERE i.inhparent = 'token_routing'::regclass LOOP
        IF partition::text ~ '^token_routing_p[0-9]{8}$' THEN
            day := to_date(substring(partition::text FROM 16 FOR 8), 'YYYYMMDD');
            IF ((day + 1)::timestamp AT TIME ZONE 'UTC') <= now() - p_keep THEN
                EXECUTE format('DROP TABLE %s', partition);
                dropped := dropped + 1;
            END IF;
        END IF;
    END LOOP;
    IF to_regclass('token_routing_default') IS NOT NULL THEN
        DELETE FROM token_routing_default WHERE routed_at < now() - p_keep;
    END IF;
    PERFORM moescope_forget_requests(p_keep);
    RETURN dropped;
END
$$;

-- The UTC days that have rows in the default partition (none on TimescaleDB): storage maintenance creates their
-- partitions, which moves the rows out.
CREATE OR REPLACE FUNCTION moescope_default_partition_days() RETURNS date[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    days date[];
BEGIN
    IF to_regclass('token_routing_default') IS NULL THEN
        RETURN '{}';
    END IF;
    EXECUTE 'SELECT coalesce(array_agg(DISTINCT (routed_at AT TIME ZONE ''UTC'')::date), ''{}'')'
            ' FROM token_routing_default' INTO days;
    RETURN days;
END
$$;
