-- When ingest last heard of a run, on the database's clock, so a run whose producer died (an import or probe killed
-- mid-way, with no FINISHED or FAILED ever sent) can be told from a live one and marked ABANDONED by the platform
-- (moescope.runs.abandoned-after; see AbandonedRuns). Routing times cannot tell: they are the producer's, and an
-- imported trace keeps the times it was recorded at, possibly long ago.
--
--   run.registered_at            when the run's row was stored (its STARTED event, or the end event when the
--                                STARTED one was never seen)
--   run_volume.last_ingested_at  when the latest batch of the run's tokens was stored (ingest sets it with every
--                                batch; the default covers the first)
--
-- run.status gains ABANDONED: no end event, and nothing stored for the run for longer than abandoned-after; it goes
-- back to STARTED when the run's tokens arrive again, and a FINISHED or FAILED event overwrites it like STARTED.
--
-- Both tables are plain tables on both storage paths (partitioned and TimescaleDB; see V2), so these statements are
-- the same on both. A constant default (now() is evaluated once, at the ALTER) adds the columns without rewriting the
-- tables; existing runs count as heard of at the migration, so an upgrade abandons nothing before abandoned-after
-- has passed.

ALTER TABLE run ADD COLUMN registered_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE run_volume ADD COLUMN last_ingested_at timestamptz NOT NULL DEFAULT now();

-- The periodic check reads only runs without an end: a handful, however many finished runs there are.
CREATE INDEX run_not_ended ON run (run_id) WHERE status IN ('STARTED', 'ABANDONED');
