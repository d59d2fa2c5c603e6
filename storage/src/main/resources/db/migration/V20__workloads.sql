-- What a probe run was asked to do (issue 8, record and replay): its generation parameters and its requests, so
-- that `moescope replay --model` can run the same workload through another model or setting. Written by ingest from
-- topic moescope.workloads. No foreign key to run: the workload and the run's lifecycle events travel on different
-- topics and may be stored in either order. Imported and replayed runs have no row: they carry no prompts.

CREATE TABLE run_workload (
    run_id         text             PRIMARY KEY,
    model_name     text             NOT NULL,
    architecture   text             NOT NULL,
    model_source   text             NOT NULL,   -- where the probe loaded the model from (checkpoint directory)
    max_new_tokens integer          NOT NULL,
    temperature    double precision NOT NULL,   -- 0 = greedy
    top_p          double precision NOT NULL,
    seed           bigint           NOT NULL,
    stop_token_ids integer[]        NOT NULL,   -- tokens that ended generation (the model's end-of-sequence)
    expert_cache   integer          NOT NULL,   -- experts per layer resident under offloading; 0 = all
    cache_policy   text             NOT NULL
);

CREATE TABLE workload_request (
    run_id           text    NOT NULL REFERENCES run_workload ON DELETE CASCADE,
    position         integer NOT NULL,          -- order in which the engine took the requests up, from 0
    request_id       text    NOT NULL,
    prompt           text    NOT NULL,          -- empty for a chat prompt
    message_roles    text[]  NOT NULL,          -- chat messages, role and content at the same positions
    message_contents text[]  NOT NULL,
    arrived_at       timestamptz,               -- NULL when the run ended before the engine took it up
    PRIMARY KEY (run_id, position)
);
