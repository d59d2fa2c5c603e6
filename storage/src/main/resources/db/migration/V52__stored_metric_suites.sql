-- The default metric suite of an ended run (GET /api/runs/{id}/metrics without options), stored so that a request
-- for it is answered without re-reading every raw decision of the run (tens of seconds at millions of decisions).
-- The platform computes it once when the run has ended, in the background, and whenever a request computes it for an
-- ended run.
--
--   tokens, decisions  the run's run_volume when the computation began: the data it covers. Ingest adds to
--                      run_volume in the same transaction as the rows, so a stored suite whose pair differs from the
--                      run's current one misses data (a replayed import, a resumed run) and is never served.
--   computed_at        when the computation began, on the platform's clock
--   format             the codec's format (io.moescope.platform.metrics.SuiteCodec.FORMAT), raised by a release
--                      that changes what the suite holds or how a figure is computed: a row of another format is
--                      stale like one over other data
--   suite              the suite as gzip-compressed JSON (io.moescope.platform.metrics.SuiteCodec); the verdicts in
--                      it are re-judged by the rules enabled when it is served
--
-- A plain table on both storage paths (partitioned and TimescaleDB; see V2): one row per run. No foreign key to run,
-- like the rollups: a TRUNCATE of run (tests, scratch tooling) must not need to name this table, and a row is read
-- only by its run's id.
CREATE TABLE run_metric_suite (
    run_id      text        PRIMARY KEY,
    tokens      bigint      NOT NULL,
    decisions   bigint      NOT NULL,
    computed_at timestamptz NOT NULL,
    format      smallint    NOT NULL,
    suite       bytea       NOT NULL
);

-- Already compressed: PostgreSQL's own compression of the value would spend CPU for nothing.
ALTER TABLE run_metric_suite ALTER COLUMN suite SET STORAGE EXTERNAL;
