-- Flyway callback, run before every validation (moescope validates on each start, before migrating).
-- V2 changed after release: it no longer reads shared_preload_libraries as a role that may not (a database owner
-- that is not a superuser, as managed PostgreSQL services give, could not migrate at all). The change is in the
-- check for the extension only; what V2 creates is unchanged, so a database migrated by the earlier V2 is in the
-- same state, and its recorded checksum (-661741432) is moved to the current file's (-2094911196) instead of
-- failing validation. Any other checksum is left for Flyway to report.
DO $$
BEGIN
    IF to_regclass('flyway_schema_history') IS NOT NULL THEN
        EXECUTE 'UPDATE flyway_schema_history SET checksum = -2094911196'
             || ' WHERE version = ''2'' AND checksum = -661741432';
    END IF;
END
$$;
