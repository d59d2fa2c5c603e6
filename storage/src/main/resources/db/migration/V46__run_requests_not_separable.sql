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
