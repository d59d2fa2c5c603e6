-- The Runs list pages newest first and badges each run with its alert state: both reads go through an index,
-- so a page costs the same with ten runs or ten thousand.
CREATE INDEX run_started_at ON run (started_at DESC);

-- Latest lifecycle step per (rule, subject) of the runs on one page; subjects are "runId" or "runId/layer L".
CREATE INDEX alert_event_run ON alert_event (split_part(subject, '/layer ', 1), rule_id, subject, at DESC, id DESC);
