-- The hour rollup (docs/operations.md, "The minute rollup"): per run, UTC hour and phase, one count grid
-- (io.moescope.storage.rollups.CountGrid, as in load_grid_minute) holding the sum of that hour's rows in
-- load_grid_minute. A run page's time axis of a run of days reads one grid an hour instead of sixty (a 61-layer x
-- 256-expert run of three days: 8,640 minute grids, 2.4-3.8 s; docs/benchmarks.md).
--
-- Ingest keeps it exact in the raw rows' transaction (MinuteGridWriter): an hour gets its row once the run and
-- phase's current minute has moved past it (the sum of its finished minutes, read once), and late data for an hour
-- that has a row adds to it. Hours without a row (those of runs stored before this migration, the current hour) are
-- read from their minutes. Each row is written once but for late data, so it may go out of line (TOAST) without
-- leaving a copy per rewrite behind.
CREATE TABLE load_grid_hour (
    run_id text        NOT NULL,
    bucket timestamptz NOT NULL,
    phase  smallint    NOT NULL,
    counts bytea       NOT NULL,
    PRIMARY KEY (run_id, bucket, phase)
);
