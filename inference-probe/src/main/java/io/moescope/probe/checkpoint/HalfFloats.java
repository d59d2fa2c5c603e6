package io.moescope.probe.checkpoint;

/**
 * IEEE 754 binary16 and bfloat16 conversions. Java 17 has no {@code Float.float16ToFloat} (that came in Java 20), so
 * the bit manipulation lives here.
 */
final class HalfFloats {

    private HalfFloats() {
    }

    static float toFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal (or zero): mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    static short toHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            int full = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(full, shift));
        }
        int rounded = (halfExponent << 10 | mantissa >>> 13) + roundingIncrement(mantissa, 13);
        return (short) (sign | rounded);
    }

    static short toBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + roundingIncrementRaw(bits, 16)) >>> 16);
    }

    private static int roundShift(int value, int shift) {
        return (value >>> shift) + roundingIncrement(value, shift);
    }

    /** 1 when dropping the low {@code shift} bits must round up (round half to even), else 0. */
    private static int roundingIncrement(int value, int shift) {
        int half = 1 << (shift - 1);
        int rest = value & ((1 << shift) - 1);
        int lsb = (value >>> shift) & 1;
        return rest > half || (rest == half && lsb == 1) ? 1 : 0;
    }

    private static int roundingIncrementRaw(int bits, int shift) {
        int lsb = (bits >>> shift) & 1;
        return (1 << (shift - 1)) - 1 + lsb;
    }
}
