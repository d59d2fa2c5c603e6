package io.moescope.events;

/**
 * IEEE 754 half precision (binary16), the type of {@code token_routing}'s gate weights and router entropies since
 * V47: from V47 to V50 the 16 bits of a value in a {@code smallint} (the bit pattern, so values with the sign bit set
 * are negative smallints), since V51 inside the packed {@code routing} column ({@link PackedRouting}). Java 17 has no
 * {@code Float.floatToFloat16}; this is the one Java implementation, and the SQL functions of
 * {@code R__half_float.sql} are its twin for V47's conversion of older rows and for ad-hoc queries (a test holds both
 * to the same bits).
 *
 * <p>Rounding is to nearest, ties to even, as an IEEE conversion does: every bf16 value of magnitude at least
 * 2<sup>-14</sup> survives exactly (bf16 has 8 significant bits, binary16 11), a float32 is kept to a relative
 * 2<sup>-11</sup>, magnitudes from 65520 up become infinity and below 2<sup>-25</sup> zero. Every NaN becomes the
 * one quiet NaN 0x7E00, so an unknown weight (NaN) reads back as unknown.
 */
public final class HalfFloat {

    /** The quiet NaN every NaN is stored as. */
    public static final short NaN = 0x7E00;

    private static final int INFINITY = 0x7C00;

    private HalfFloat() {
    }

    /** The binary16 bits nearest {@code value}. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int biased = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7F_FFFF;
        if (biased == 0xFF) {
            return (short) (mantissa == 0 ? sign | INFINITY : NaN);
        }
        if (biased == 0) {
            return (short) sign; // a float32 subnormal is below 2^-126: zero in binary16
        }
        int exponent = biased - 127;
        if (exponent >= -14 && exponent <= 15) {
            // A normal result, the case of nearly every weight and entropy, which ingest converts as it decodes: the
            // low 13 bits of the mantissa rounded to nearest even (0xFFF plus the kept lowest bit carries exactly
            // when they are above half, or half and the kept bits odd), a carry moving on to the exponent (65520 and
            // up: infinity). The same result as the general steps below, without their shifts by a variable.
            int rounded = mantissa + 0xFFF + ((mantissa >>> 13) & 1);
            return (short) (sign | ((exponent + 15) << 10) + (rounded >>> 13));
        }
        if (exponent > 15) {
            return (short) (sign | INFINITY);
        }
        // The significand with its implicit bit, in units of 2^(exponent - 23); the binary16 result keeps it in units
        // of 2^(max(exponent, -14) - 10): 13 bits fewer for a normal result, more for a subnormal one.
        int significand = mantissa | 0x80_0000;
        int shift = Math.max(exponent, -14) - 10 - (exponent - 23);
        if (shift > 24) {
            return (short) sign; // below 2^-25, less than half the smallest subnormal
        }
        int kept = significand >>> shift;
        int rest = significand & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || rest == half && (kept & 1) == 1) {
            kept++;
        }
        // The implicit bit of a normal result adds one to the exponent field, so the field is exponent + 14 here; a
        // carry out of the significand moves on to the next exponent (65520 and up: infinity) by itself.
        return (short) (sign | ((Math.max(exponent, -14) + 14) << 10) + kept);
    }

    /**
     * Whether {@code value} and its binary16 fall alike on every bound validation checks (NaN or not, finite or
     * not, negative or not, above the entropy's tolerance below zero or not): true for NaN, infinity and every value
     * from 0 (-0.0 included) below 65520, which rounding keeps non-negative and finite. Negative values are left
     * out whole rather than bound by bound. Which records are sent packed ({@code TokenRoutingWriter}).
     */
    public static boolean classifiesAlike(float value) {
        return !(value < 0) && (value < 65520f || value == Float.POSITIVE_INFINITY || Float.isNaN(value));
    }

    /** The value of binary16 bits; exact, since every binary16 value is a float32. */
    public static float toFloat(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F) {
            return mantissa == 0 ? Float.intBitsToFloat(sign | 0x7F80_0000) : Float.NaN;
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
    }

    /** {@code value} as stored: the float32 nearest to it that binary16 holds. */
    public static float round(float value) {
        return toFloat(fromFloat(value));
    }
}
