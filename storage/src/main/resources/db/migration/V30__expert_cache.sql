-- Expert offloading (probe --expert-cache C): every expert access the probe reported on moescope.expert-cache,
-- one row per (run, request, step's first token index, layer, expert). A prefill step runs each expert once on all
-- its tokens, so it has one access per distinct (layer, expert); a decode step has k per layer.

CREATE TABLE expert_cache_access (
    run_id       text        NOT NULL,
    request_id   text        NOT NULL,
    token_index  integer     NOT NULL,   -- the step's first token index in its request (prefill: 0)
    step_tokens  integer     NOT NULL,   -- tokens in the step (the prompt for prefill, 1 for decode)
    layer        integer     NOT NULL,
    expert       integer     NOT NULL,
    access_order integer     NOT NULL,   -- position of the access within its step (the cache's order)
    hit          boolean     NOT NULL,
    bytes_read   bigint      NOT NULL,   -- checkpoint bytes read on a miss, 0 on a hit
    load_nanos   bigint      NOT NULL,   -- time to materialise the expert on a miss, 0 on a hit
    evicted      integer,                -- expert evicted to make room; NULL when none
    capacity     integer     NOT NULL,   -- experts per layer the cache holds
    policy       text        NOT NULL,   -- LRU or LFU
    stepped_at   timestamptz NOT NULL,   -- when the step finished
    -- The idempotency key: a redelivered record inserts nothing twice.
    PRIMARY KEY (run_id, request_id, token_index, layer, expert)
);
