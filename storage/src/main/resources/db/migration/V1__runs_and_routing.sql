-- moescope schema, plain PostgreSQL (15+). Runs, raw routing (one row per token across all MoE layers) and the
-- rollups that dashboards read instead of raw rows.

CREATE TABLE run (
    run_id            text PRIMARY KEY,
    name              text        NOT NULL,
    source            text        NOT NULL,            -- probe, import:<format>, replay
    status            text        NOT NULL,            -- STARTED, FINISHED, FAILED
    model_name        text        NOT NULL,
    architecture      text        NOT NULL,
    num_experts       integer     NOT NULL,
    top_k             integer     NOT NULL,
    num_layers        integer     NOT NULL,
    moe_layers        integer[]   NOT NULL,
    total_parameters  bigint      NOT NULL,
    active_parameters bigint      NOT NULL,
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz,
    tokens_reported   bigint      NOT NULL DEFAULT 0  -- what the producer said it sent; compare with run_volume
);

-- One row per routed token. The arrays are layer-major: for the i-th entry of `layers` (1-based), the token's
-- experts are expert_ids[(i-1)*k+1 .. i*k] with the same positions in `weights`; router_entropy[i] is NULL
-- where the source did not know the full router distribution.
CREATE TABLE token_routing (
    run_id         text        NOT NULL,
    request_id     text        NOT NULL,
    token_index    integer     NOT NULL,
    token_id       integer     NOT NULL,
    phase          smallint    NOT NULL,               -- 0 = prefill, 1 = decode
    routed_at      timestamptz NOT NULL,
    layers         smallint[]  NOT NULL,
    expert_ids     smallint[]  NOT NULL,
    weights        real[]      NOT NULL,
    router_entropy real[]      NOT NULL,
    -- The idempotency key: a batch replayed after a crash inserts nothing twice.
    PRIMARY KEY (run_id, request_id, token_index)
);

-- Hard counts c_i (docs/metrics.md) per run, layer, expert and phase, maintained by ingest in the same transaction as
-- the raw rows, from the rows that were actually inserted.
CREATE TABLE expert_load (
    run_id  text     NOT NULL,
    layer   integer  NOT NULL,
    expert  integer  NOT NULL,
    phase   smallint NOT NULL,
    tokens  bigint   NOT NULL,
    PRIMARY KEY (run_id, layer, expert, phase)
);

-- Tokens and decisions (token x MoE layer) stored per run, maintained like expert_load.
CREATE TABLE run_volume (
    run_id          text        PRIMARY KEY,
    tokens          bigint      NOT NULL,
    decisions       bigint      NOT NULL,
    first_routed_at timestamptz NOT NULL,
    last_routed_at  timestamptz NOT NULL
);

-- What the Runs list shows: the run's identity with the volume actually stored.
CREATE VIEW run_overview AS
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
       v.last_routed_at
FROM run r
LEFT JOIN run_volume v USING (run_id);
