-- The steps of aggregate-only runs: sources that count how often each expert was chosen without recording tokens
-- (TensorRT-LLM's expert statistics count per engine iteration and layer; llama.cpp's moe-trace logs one row per
-- choice without a token index). Ingest adds each step's counts to the rollups (layer_load, the minute grids,
-- run_volume) like tokens' counts, so every load metric, the heatmaps and placement answer for such runs as for
-- any other; sequence metrics are undefined for them (run.requests_not_separable says why).
--
-- A row per step, written once: its primary key makes a redelivered step (Kafka replays what was stored before the
-- offsets were committed) insert nothing, and only the steps inserted are added to the rollups, which keeps them
-- exact. The step's counts are one count grid (io.moescope.storage.rollups.CountGrid, as in load_grid_minute), so
-- the per-step data stays for what a later release computes from it (intervals over steps).
--
-- A plain table on both storage paths (partitioned and TimescaleDB; see V2): a run has one row per step, a few
-- hundred for a benchmark's iterations, far fewer than its tokens would be.
CREATE TABLE expert_count_step (
    run_id    text        NOT NULL,
    step      bigint      NOT NULL,
    phase     smallint    NOT NULL,
    routed_at timestamptz NOT NULL,
    tokens    bigint      NOT NULL CHECK (tokens >= 0),
    counts    bytea       NOT NULL,
    PRIMARY KEY (run_id, step)
);
