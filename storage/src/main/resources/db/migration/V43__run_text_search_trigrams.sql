-- The Runs list's text filter looks for the text anywhere in a run's name, id, model name or architecture
-- (lower(col) LIKE '%text%'), which a B-tree cannot serve. Trigram GIN indexes can: one per searched expression, so
-- the planner can OR them in a BitmapOr. pg_trgm is a contrib extension (the embedded PostgreSQL 17 and Debian's
-- postgresql-15 ship it); on a server without it the filter still works, by scanning, and the migration still runs
-- (as it does for a role without the privilege to create extensions).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX run_name_trgm ON run USING gin (lower(name) gin_trgm_ops);
        CREATE INDEX run_id_trgm ON run USING gin (lower(run_id) gin_trgm_ops);
        CREATE INDEX run_model_name_trgm ON run USING gin (lower(model_name) gin_trgm_ops);
        CREATE INDEX run_architecture_trgm ON run USING gin (lower(architecture) gin_trgm_ops);
    ELSE
        RAISE NOTICE 'pg_trgm is not available: the run text filter will scan the run table';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    -- A role that may not create extensions (pg_trgm is trusted since PostgreSQL 13, so rare): scan instead.
    RAISE NOTICE 'no privilege to create pg_trgm: the run text filter will scan the run table';
END
$$;
