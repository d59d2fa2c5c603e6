-- Three facts about a run that earlier releases did not keep. All nullable with no default: adding them rewrites
-- nothing, and every run stored before has none of them, as none was known when it was stored. A plain table on
-- both storage paths (see V2), so the statements are the same on both.

-- Why a run's requests cannot be told apart, in words; NULL when they can (every probe run, most imports).
--
-- A trace that logs one request id for a whole batch of prompts (a vLLM route log with a constant req_id and a
-- token_idx that restarts every forward pass; a Megatron router trace) gives tokens whose neighbours in the stream
-- belong to different prompts. Sequence metrics (routing consistency, compare's top-k overlap, warm-up per request)
-- are then undefined for the run, and the platform answers them with this reason instead of a number (see
-- docs/metrics.md).
ALTER TABLE run ADD COLUMN requests_not_separable text;

-- A tap's responses by outcome: {"captured": 120, "passed_through": 3, "decode_failed": 0, "too_large": 0,
-- "upstream_error": 1} (./moescope tap, docs/cli.md#tap): the counts so far while the tap runs (it repeats its
-- STARTED event with them every 10 s), the final ones from its end event; NULL for runs that are not taps.
--
-- jsonb, not a column per outcome: the outcomes are the tap's (RunLifecycle.responses, an Avro map), and an outcome a
-- later tap adds needs no migration.
ALTER TABLE run ADD COLUMN responses jsonb;

-- When a live producer last said it is alive (a tap's repeated STARTED event): the abandoned-run check counts it as
-- something stored, so an idle tap is not ABANDONED. NULL for producers without a heartbeat. Ingest's clock, as
-- registered_at.
ALTER TABLE run ADD COLUMN heartbeat_at timestamptz;

-- The Runs list and GET /api/runs/{id} show the first two: the view of V1 with the columns appended (CREATE OR
-- REPLACE VIEW may only add columns at the end).
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
