-- Alert rules (editable at run time through /api/alerts/rules) and the lifecycle history of their alerts.

CREATE TABLE alert_rule (
    id              bigserial        PRIMARY KEY,
    name            text             NOT NULL,
    metric          text             NOT NULL,   -- AlertMetric id: max_vio, dead_experts, normalised_entropy, ...
    scope           text             NOT NULL,   -- LAYER, MODEL (worst layer), RUN (layers pooled)
    run_id          text,                         -- NULL = every run
    layer           integer,                      -- LAYER scope only; NULL = every layer
    comparison      text             NOT NULL,   -- ABOVE, BELOW
    threshold       double precision NOT NULL,
    clear_threshold double precision NOT NULL,   -- hysteresis: a firing alert resolves only past this
    window_seconds  bigint           NOT NULL,
    for_seconds     bigint           NOT NULL,
    enabled         boolean          NOT NULL DEFAULT true
);

-- Defaults that make sense out of the box (issue 6): any dead expert for 5 min, a hot expert (MaxVio > 1, one
-- expert with twice the mean load) for 2 min, and routing collapse (normalised entropy < 0.7) at once.
INSERT INTO alert_rule (name, metric, scope, comparison, threshold, clear_threshold, window_seconds, for_seconds)
VALUES ('dead experts', 'dead_experts', 'LAYER', 'ABOVE', 0, 0, 60, 300),
       ('hot expert', 'max_vio', 'LAYER', 'ABOVE', 1.0, 0.8, 60, 120),
       ('routing collapse', 'normalised_entropy', 'LAYER', 'BELOW', 0.7, 0.75, 60, 0);

CREATE TABLE alert_event (
    id         bigserial        PRIMARY KEY,
    rule_id    bigint           NOT NULL,
    rule_name  text             NOT NULL,
    subject    text             NOT NULL,   -- run id, or "run id/layer L"
    from_state text             NOT NULL,
    to_state   text             NOT NULL,   -- PENDING, FIRING, RESOLVED
    value      double precision NOT NULL,
    at         timestamptz      NOT NULL
);

CREATE INDEX alert_event_at ON alert_event (at DESC);
