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

-- The cells of a count grid (load_grid_minute.counts and load_grid_current.counts, V48): one row per layer present
-- and expert, zeros included, in cell order. The layout is io.moescope.storage.rollups.CountGrid's, the codec ingest
-- writes with (see its documentation): a 6-byte header (bits per cell, experts per layer, layers present, width of an
-- escaped count), the layer ids, then the cells; packed cells of 1 to 8 bits (most significant bit first) whose
-- all-ones value means "escaped", the count following the cells, or whole 2-, 4- or 8-byte counts, big-endian.
CREATE OR REPLACE FUNCTION moescope_grid_cells(p_grid bytea)
RETURNS TABLE (layer integer, expert integer, tokens bigint)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH header AS (
        SELECT get_byte(p_grid, 0) AS bits, get_byte(p_grid, 1) << 8 | get_byte(p_grid, 2) AS experts,
               get_byte(p_grid, 3) << 8 | get_byte(p_grid, 4) AS layers, get_byte(p_grid, 5) AS escape_width,
               6 + 2 * (get_byte(p_grid, 3) << 8 | get_byte(p_grid, 4)) AS cells
    ), cell AS (
        -- a packed cell spans at most two bytes: read both (the second only if there is one) and shift it out
        SELECT c, CASE WHEN h.bits <= 8 THEN
                   (get_byte(p_grid, h.cells + c * h.bits / 8) << 8
                    | CASE WHEN h.cells + c * h.bits / 8 + 1 < length(p_grid)
                           THEN get_byte(p_grid, h.cells + c * h.bits / 8 + 1) ELSE 0 END)
                   >> (16 - h.bits - c * h.bits % 8) & (1 << h.bits) - 1
               END AS packed
        FROM header AS h, generate_series(0, h.layers * h.experts - 1) AS c
    ), located AS (
        SELECT c, packed,
               CASE WHEN h.bits <= 8
                    THEN h.cells + (h.layers * h.experts * h.bits + 7) / 8
                         + h.escape_width
                           * (count(*) FILTER (WHERE packed = (1 << h.bits) - 1) OVER (ORDER BY c) - 1)::integer
                    ELSE h.cells + c * (h.bits / 8) END AS at,
               CASE WHEN h.bits <= 8 THEN h.escape_width ELSE h.bits / 8 END AS width
        FROM header AS h, cell
    )
    SELECT get_byte(p_grid, 6 + 2 * (c / h.experts)) << 8 | get_byte(p_grid, 7 + 2 * (c / h.experts)),
           c % h.experts,
           CASE WHEN packed < (1 << h.bits) - 1 THEN packed
                ELSE ('x' || lpad(encode(substring(p_grid FROM at + 1 FOR width), 'hex'), 16, '0'))::bit(64)::bigint
           END
    FROM header AS h, located
    ORDER BY c
$$;
