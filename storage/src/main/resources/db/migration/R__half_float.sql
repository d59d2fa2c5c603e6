-- Repeatable migration (Flyway applies it after the versioned ones whenever this file changes): the current
-- definition of these functions, and the one place to change them. V47 created them first, to convert the rows
-- stored before it; it keeps that definition because released migrations are never edited. See docs/development.md,
-- "Where SQL lives".
--
-- token_routing's gate weights and router entropies are IEEE 754 half precision (binary16) since V47: the 16 bits of
-- each value in a smallint (the bit pattern; a set sign bit reads as a negative smallint) until V50, inside the packed
-- column `routing` since V51 (R__routing_codec.sql reads them: moescope_routing_weights, moescope_routing_entropies).
-- Java's io.moescope.storage.routing.HalfFloat is the codec every writer and reader uses; these functions are its SQL
-- twin (a test holds both to the same bits), for V47's and V51's conversions and for ad-hoc queries, e.g.
--
--   SELECT moescope_fp16_real_array(moescope_fp16_array('{0.6, 0.4}'::real[]))
--
-- A NaN weight (unknown: a trace of expert ids only) is the quiet NaN 0x7E00 and reads back as NaN; a NULL element
-- stays NULL.

-- The binary16 bits nearest x, rounding to nearest, ties to even; the same steps as HalfFloat.fromFloat, on x's
-- float32 bits (float4send is big-endian).
CREATE OR REPLACE FUNCTION moescope_fp16(x real) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    b           bytea   := float4send(x);
    bits        bigint  := (get_byte(b, 0)::bigint << 24) | (get_byte(b, 1) << 16) | (get_byte(b, 2) << 8)
                           | get_byte(b, 3);
    sign        integer := ((bits >> 16) & 32768)::integer;
    biased      integer := ((bits >> 23) & 255)::integer;
    mantissa    integer := (bits & 8388607)::integer;
    exponent    integer := biased - 127;
    shift       integer;
    significand integer;
    kept        integer;
    rest        integer;
    half        integer;
    result      integer;
BEGIN
    IF biased = 255 THEN
        result := CASE WHEN mantissa = 0 THEN sign | 31744 ELSE 32256 END;     -- infinity, or the quiet NaN 0x7E00
    ELSIF biased = 0 THEN
        result := sign;                                                      -- float32 subnormal: zero
    ELSIF exponent > 15 THEN
        result := sign | 31744;
    ELSE
        significand := mantissa | 8388608;
        shift := greatest(exponent, -14) - 10 - (exponent - 23);
        IF shift > 24 THEN
            result := sign;
        ELSE
            kept := significand >> shift;
            rest := significand & ((1 << shift) - 1);
            half := 1 << (shift - 1);
            IF rest > half OR (rest = half AND (kept & 1) = 1) THEN
                kept := kept + 1;
            END IF;
            result := sign | (((greatest(exponent, -14) + 14) << 10) + kept);
        END IF;
    END IF;
    RETURN (CASE WHEN result >= 32768 THEN result - 65536 ELSE result END)::smallint;
END
$$;

-- The value of binary16 bits, exactly (every binary16 value is a real).
CREATE OR REPLACE FUNCTION moescope_fp16_real(h smallint) RETURNS real
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE
        WHEN e = 31 AND m = 0 THEN (sign * 'Infinity'::float8)::real
        WHEN e = 31 THEN 'NaN'::real
        WHEN e = 0 THEN (sign * m * 2.0::float8 ^ -24)::real
        ELSE (sign * (1024 + m) * 2.0::float8 ^ (e - 25))::real
    END
    -- the sign as a float, so that 0x8000 is -0
    FROM (SELECT CASE WHEN h < 0 THEN -1.0::float8 ELSE 1.0::float8 END AS sign,
                 ((h::integer & 65535) >> 10) & 31 AS e, h::integer & 1023 AS m) f
$$;

CREATE OR REPLACE FUNCTION moescope_fp16_array(x real[]) RETURNS smallint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(moescope_fp16(v) ORDER BY i), '{}') FROM unnest(x) WITH ORDINALITY AS u(v, i)
$$;

CREATE OR REPLACE FUNCTION moescope_fp16_real_array(h smallint[]) RETURNS real[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(moescope_fp16_real(v) ORDER BY i), '{}') FROM unnest(h) WITH ORDINALITY AS u(v, i)
$$;
