-- Why a run's requests cannot be told apart, in words; NULL when they can (every probe run, most imports).
--
-- A trace that logs one request id for a whole batch of prompts (a vLLM route log with a constant req_id and a
-- token_idx that restarts every forward pass) gives tokens whose neighbours in the stream belong to different
-- prompts. Sequence metrics (routing consistency, compare's top-k overlap, warm-up per request) are then undefined
-- for the run, and the platform answers them with this reason instead of a number (see docs/metrics.md).
--
-- Nullable with no default: adding it rewrites nothing, and every run stored before counts as separable, as it was
-- treated when it was stored. A plain table on both storage paths (see V2), so the statement is the same on both.

ALTER TABLE run ADD COLUMN requests_not_separable text;

-- The Runs list and GET /api/runs/{id} show it: the view of V1 with the column appended (CREATE OR REPLACE VIEW may
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
       r.requests_not_separable
FROM run r
LEFT JOIN run_volume v USING (run_id);
