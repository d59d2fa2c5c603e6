-- Repeatable migration (Flyway applies it after the versioned ones whenever this file changes): the current
-- definition of these functions, and the one place to change them. V51 created moescope_routing_pack first, to
-- convert the rows stored before it. See docs/development.md, "Where SQL lives".
--
-- token_routing's decisions are one packed bytea per row since V51, the column `routing`. Java's
-- io.moescope.storage.routing.PackedRouting is the codec every writer and reader uses; these functions are its SQL
-- twin (a test holds both to the same bytes), for ad-hoc queries, e.g.
--
--   SELECT request_id, token_index, moescope_routing_layers(routing), moescope_routing_expert_ids(routing),
--          moescope_routing_weights(routing), moescope_routing_entropies(routing)
--   FROM token_routing_named WHERE run_id = 'my-run'
--
-- The layout (docs/operations.md, "Storage"), big-endian: flags (1 byte: bit 0 expert ids of 2 bytes, else 1; bit 1
-- layers listed, else consecutive; bit 2 no weights, bit 3 no entropies), L decisions (2 bytes), top-k k (2 bytes),
-- the first layer (2 bytes) or the L layers (2 bytes each), L*k expert ids layer-major, L*k gate weights (none when
-- bit 2 is set: every weight unknown) and L router entropies (none when bit 3 is set: every entropy unknown) as
-- binary16 bits (see R__half_float.sql; NaN 0x7E00 when unknown). The packer sets bit 2 (3) exactly when the token
-- has weights (entropies) and every one is NaN; values without those bits, written before them, read as they did.

-- The unsigned 16-bit big-endian value at byte offset p_at.
CREATE OR REPLACE FUNCTION moescope_routing_u16(p_routing bytea, p_at integer) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT get_byte(p_routing, p_at) << 8 | get_byte(p_routing, p_at + 1)
$$;

-- The packed value of V50's four arrays (weights and entropies as binary16 bits, a NULL entropy unknown). Any NaN's
-- bits are unknown (exponent all ones, a mantissa), as Java's encoder takes every NaN for unknown.
CREATE OR REPLACE FUNCTION moescope_routing_pack(p_layers smallint[], p_expert_ids smallint[],
                                                 p_weights smallint[], p_entropies smallint[]) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    n           integer := coalesce(cardinality(p_layers), 0);
    k           integer := CASE WHEN n = 0 THEN 0 ELSE cardinality(p_expert_ids) / n END;
    wide        boolean := coalesce((SELECT max(e) > 255 FROM unnest(p_expert_ids) AS e), false);
    consecutive boolean := n = 0 OR p_layers = ARRAY(SELECT (p_layers[1] + i)::smallint
                                                      FROM generate_series(0, n - 1) AS i);
    no_weights  boolean := coalesce((SELECT bool_and(w & 31744 = 31744 AND w & 1023 <> 0)
                                     FROM unnest(p_weights) AS w), false);
    no_entropy  boolean := coalesce((SELECT bool_and(h IS NULL OR h & 31744 = 31744 AND h & 1023 <> 0)
                                     FROM unnest(p_entropies) AS h), false);
    packed      bytea;
BEGIN
    packed := set_byte('\x00'::bytea, 0, CASE WHEN wide THEN 1 ELSE 0 END | CASE WHEN consecutive THEN 0 ELSE 2 END
                                         | CASE WHEN no_weights THEN 4 ELSE 0 END | CASE WHEN no_entropy THEN 8 ELSE 0 END)
              || int2send(n::smallint) || int2send(k::smallint);
    IF consecutive THEN
        packed := packed || int2send(coalesce(p_layers[1], 0::smallint));
    ELSE
        packed := packed || (SELECT string_agg(int2send(l), ''::bytea ORDER BY i)
                             FROM unnest(p_layers) WITH ORDINALITY AS u(l, i));
    END IF;
    RETURN packed
        || coalesce((SELECT string_agg(CASE WHEN wide THEN int2send(e) ELSE set_byte('\x00'::bytea, 0, e) END,
                                       ''::bytea ORDER BY i)
                     FROM unnest(p_expert_ids) WITH ORDINALITY AS u(e, i)), '')
        || coalesce((SELECT string_agg(int2send(w), ''::bytea ORDER BY i)
                     FROM unnest(p_weights) WITH ORDINALITY AS u(w, i) WHERE NOT no_weights), '')
        || coalesce((SELECT string_agg(int2send(coalesce(h, 32256::smallint)), ''::bytea ORDER BY i)
                     FROM unnest(p_entropies) WITH ORDINALITY AS u(h, i) WHERE NOT no_entropy), '');
END
$$;

-- The layers of a packed value, in order. (The header is read once per value and each element with get_byte: a
-- function call per element made a 32-layer row take milliseconds.)
CREATE OR REPLACE FUNCTION moescope_routing_layers(p_routing bytea) RETURNS smallint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT (CASE WHEN h.listed THEN get_byte(p_routing, 5 + 2 * i) << 8 | get_byte(p_routing, 6 + 2 * i)
                              ELSE h.first + i END)::smallint
                 FROM generate_series(0, h.layers - 1) AS i ORDER BY i)
    FROM (SELECT get_byte(p_routing, 0) & 2 = 2 AS listed, moescope_routing_u16(p_routing, 1) AS layers,
                 moescope_routing_u16(p_routing, 5) AS first) AS h
$$;

-- Byte offset of the expert ids of a packed value.
CREATE OR REPLACE FUNCTION moescope_routing_ids_at(p_routing bytea) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN get_byte(p_routing, 0) & 2 = 0 THEN 7 ELSE 5 + 2 * moescope_routing_u16(p_routing, 1) END
$$;

-- The expert ids of a packed value, layer-major (top-k of the first layer, then of the second, ...).
CREATE OR REPLACE FUNCTION moescope_routing_expert_ids(p_routing bytea) RETURNS smallint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT (CASE WHEN h.wide THEN get_byte(p_routing, h.at + 2 * i) << 8
                                               | get_byte(p_routing, h.at + 2 * i + 1)
                              ELSE get_byte(p_routing, h.at + i) END)::smallint
                 FROM generate_series(0, h.choices - 1) AS i ORDER BY i)
    FROM (SELECT get_byte(p_routing, 0) & 1 = 1 AS wide, moescope_routing_ids_at(p_routing) AS at,
                 moescope_routing_u16(p_routing, 1) * moescope_routing_u16(p_routing, 3) AS choices) AS h
$$;

-- p_count binary16 values from byte offset p_at, as reals (NaN when unknown).
CREATE OR REPLACE FUNCTION moescope_routing_halves(p_routing bytea, p_at integer, p_count integer) RETURNS real[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT moescope_fp16_real((v - (v >> 15 << 16))::smallint) -- the bits as a signed smallint
                 FROM generate_series(0, p_count - 1) AS i,
                      LATERAL (SELECT get_byte(p_routing, p_at + 2 * i) << 8 | get_byte(p_routing, p_at + 2 * i + 1)
                               AS v) AS u
                 ORDER BY i)
$$;

-- The gate weights of a packed value, in the expert ids' order (NaN when unknown: all of them when flag bit 2 says
-- the value holds none).
CREATE OR REPLACE FUNCTION moescope_routing_weights(p_routing bytea) RETURNS real[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN get_byte(p_routing, 0) & 4 = 4 THEN array_fill('NaN'::real, ARRAY[h.choices])
                ELSE moescope_routing_halves(p_routing, moescope_routing_ids_at(p_routing)
                                                        + h.choices * (1 + (get_byte(p_routing, 0) & 1)), h.choices)
           END
    FROM (SELECT moescope_routing_u16(p_routing, 1) * moescope_routing_u16(p_routing, 3) AS choices) AS h
$$;

-- The router entropies of a packed value, one a layer (NaN when unknown: all of them when flag bit 3 says the value
-- holds none; else they are its last 2 * L bytes).
CREATE OR REPLACE FUNCTION moescope_routing_entropies(p_routing bytea) RETURNS real[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN get_byte(p_routing, 0) & 8 = 8 THEN array_fill('NaN'::real, ARRAY[h.layers])
                ELSE moescope_routing_halves(p_routing, length(p_routing) - 2 * h.layers, h.layers)
           END
    FROM (SELECT moescope_routing_u16(p_routing, 1) AS layers) AS h
$$;
