-- A tap's responses by outcome: {"captured": 120, "passed_through": 3, "decode_failed": 0, "too_large": 0,
-- "upstream_error": 1}, as the tap counted them when it sent the run's end event (./moescope tap, docs/cli.md#tap);
-- NULL for runs that are not taps, and for a tap run until its end event arrived.
--
-- jsonb, not a column per outcome: the outcomes are the tap's (RunLifecycle.responses, an Avro map), and an outcome a
-- later tap adds needs no migration. Nullable with no default: adding it rewrites nothing, and every run stored
-- before has none, as no run carried them then. A plain table on both storage paths (see V2), so the statement is
-- the same on both.

ALTER TABLE run ADD COLUMN responses jsonb;

-- When a live producer last said it is alive (a tap repeats its STARTED event with its counts every 10 s): the
-- abandoned-run check counts it as something stored, so an idle tap is not ABANDONED. NULL for producers without a
-- heartbeat. Ingest's clock, as registered_at.
ALTER TABLE run ADD COLUMN heartbeat_at timestamptz;

-- The Runs list and GET /api/runs/{id} show it: the view of V46 with the column appended (CREATE OR REPLACE VIEW may
-- only add columns at the end).
CREATE OR REPLACE VIEW run_overview AS
SELECT r.run_id,
       r.name,
       r.source,
       r.status,
       r.model_name,
       r.architecture,
       r.num_experts,
       r.top_k,
       r.num_layers,
       cardinality(r.moe_layers)   AS num_moe_layers,
       r.total_parameters,
       r.active_parameters,
       r.started_at,
       r.finished_at,
       r.tokens_reported,
       coalesce(v.tokens, 0)       AS tokens,
       coalesce(v.decisions, 0)    AS decisions,
       v.last_routed_at,
       r.requests_not_separable,
       r.responses
FROM run r
LEFT JOIN run_volume v USING (run_id);
