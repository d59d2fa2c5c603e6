-- Repeatable migration (Flyway applies it after the versioned ones whenever this file changes): the current
-- definition of these functions, and the one place to change them. Versioned migrations created them first (V44);
-- they keep those definitions because released migrations are never edited. See docs/development.md, "Where SQL
-- lives".

-- Element-wise sum of two count vectors; the shorter one counts as zero-padded (a run's vector grows when a batch
-- sees an expert id higher than any before).
CREATE OR REPLACE FUNCTION moescope_add_counts(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i)
    FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

-- The count vector of (expert, tokens) pairs: element e + 1 holds expert e's tokens, zero where none; as long as
-- the highest expert id + 1. Used by V44's backfill and by test fixtures; ingest counts in Java (BatchRollups).
CREATE OR REPLACE FUNCTION moescope_counts_vector(p_experts integer[], p_tokens bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(c.tokens, 0) ORDER BY g.expert)
    FROM generate_series(0, (SELECT max(e) FROM unnest(p_experts) AS e)) AS g(expert)
    LEFT JOIN unnest(p_experts, p_tokens) AS c(expert, tokens) ON c.expert = g.expert
$$;
