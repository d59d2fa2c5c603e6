-- The rollups become one row per layer holding a vector of counts, one element per expert, instead of one row per
-- expert. Ingest adds every batch's counts to the rollup rows it touches; with a row per expert that was
-- layers x experts x phases rows per batch and per minute (4,096 + 4,096 for 32 layers of 64 experts), and the
-- upsert took 60-240 ms of each 20,000-token batch, as much as a tenth of the whole write path, with the consumers
-- queueing on the same rows. With a row per layer it is 64 + 64 rows: measured side by side on the same batches,
-- 12 ms against 72 ms per batch, and the rollups take a fifth of the space (one row header per layer, not per
-- expert).
--
-- Everything above the database reads the same views as before: expert_load and expert_load_minute have the
-- columns of the tables they replace, one row per expert with a non-zero count (as the tables held), and
-- expert_load_hourly sums the minute rollup.
--
-- On TimescaleDB, layer_load_minute is a hypertable with compression, as expert_load_minute was. expert_load_hourly
-- was a continuous aggregate over the per-expert minute rows; a continuous aggregate cannot sum vectors element by
-- element (no set-returning functions, and user-defined aggregates are not part of the documented API in
-- TimescaleDB 2.17), so it is a plain view on both paths now, like the minute and whole-run rollups, which ingest
-- keeps exact in the transaction of the raw rows.

-- Element-wise sum of two count vectors; the shorter one counts as zero-padded (a run's vector grows when a batch
-- sees an expert id higher than any before).
CREATE FUNCTION moescope_add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i)
    FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

-- The count vector of (expert, tokens) pairs: element e + 1 holds expert e's tokens, zero where none; as long as
-- the highest expert id + 1.
CREATE FUNCTION moescope_counts_vector(p_experts integer[], p_tokens bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(c.tokens, 0) ORDER BY g.expert)
    FROM generate_series(0, (SELECT max(e) FROM unnest(p_experts) AS e)) AS g(expert)
    LEFT JOIN unnest(p_experts, p_tokens) AS c(expert, tokens) ON c.expert = g.expert
$$;

-- Hard counts c_i (docs/metrics.md) of a whole run per layer and phase: tokens[e + 1] is how many tokens chose expert e.
-- fillfactor: see V3 (the row is rewritten by every batch; free space on the page keeps that a HOT update).
CREATE TABLE layer_load (
    run_id text     NOT NULL,
    layer  integer  NOT NULL,
    phase  smallint NOT NULL,
    tokens bigint[] NOT NULL,
    PRIMARY KEY (run_id, layer, phase)
) WITH (fillfactor = 50);

-- The same per minute (the minute's start, UTC-aligned): the heatmap over time.
CREATE TABLE layer_load_minute (
    run_id text        NOT NULL,
    bucket timestamptz NOT NULL,
    layer  integer     NOT NULL,
    phase  smallint    NOT NULL,
    tokens bigint[]    NOT NULL,
    PRIMARY KEY (run_id, bucket, layer, phase)
) WITH (fillfactor = 70);

INSERT INTO layer_load (run_id, layer, phase, tokens)
SELECT run_id, layer, phase, moescope_counts_vector(array_agg(expert), array_agg(tokens))
FROM expert_load
GROUP BY run_id, layer, phase;

INSERT INTO layer_load_minute (run_id, bucket, layer, phase, tokens)
SELECT run_id, bucket, layer, phase, moescope_counts_vector(array_agg(expert), array_agg(tokens))
FROM expert_load_minute
GROUP BY run_id, bucket, layer, phase;

DO $$
BEGIN
    IF moescope_storage_path() = 'timescaledb' THEN
        DROP MATERIALIZED VIEW expert_load_hourly;
        PERFORM create_hypertable('layer_load_minute', by_range('bucket', INTERVAL '7 days'), migrate_data => true);
        ALTER TABLE layer_load_minute SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'run_id',
            timescaledb.compress_orderby = 'layer, phase, bucket');
        PERFORM add_compression_policy('layer_load_minute', compress_after => INTERVAL '7 days');
    ELSE
        DROP VIEW expert_load_hourly;
    END IF;
END
$$;

DROP TABLE expert_load;
DROP TABLE expert_load_minute;

CREATE VIEW expert_load AS
SELECT l.run_id, l.layer, (e.position - 1)::integer AS expert, l.phase, e.tokens
FROM layer_load l
CROSS JOIN LATERAL unnest(l.tokens) WITH ORDINALITY AS e(tokens, position)
WHERE e.tokens <> 0;

CREATE VIEW expert_load_minute AS
SELECT l.run_id, l.bucket, l.layer, (e.position - 1)::integer AS expert, l.phase, e.tokens
FROM layer_load_minute l
CROSS JOIN LATERAL unnest(l.tokens) WITH ORDINALITY AS e(tokens, position)
WHERE e.tokens <> 0;

CREATE VIEW expert_load_hourly AS
SELECT run_id, date_bin('1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket, layer, expert, phase,
       sum(tokens)::bigint AS tokens
FROM expert_load_minute
GROUP BY 1, 2, 3, 4, 5;
