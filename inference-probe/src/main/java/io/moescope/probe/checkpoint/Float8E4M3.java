package io.moescope.probe.checkpoint;

/**
 * The {@code float8_e4m3fn} element type (safetensors {@code F8_E4M3}) of DeepSeek-V3's released weights: 1 sign bit,
 * 4 exponent bits with bias 7, 3 mantissa bits, no infinities ("fn": finite), NaN only at exponent and mantissa all
 * ones ({@code 0x7F}, {@code 0xFF}), so the largest value is {@code 0x7E} = 1.75 * 2^8 = 448. Exponent 0 is
 * subnormal: {@code m * 2^-9}. Every value is exact in float.
 */
final class Float8E4M3 {

    /** The largest finite magnitude. */
    static final float MAX = 448f;

    private static final float[] TABLE = new float[256];

    static {
        for (int code = 0; code < 256; code++) {
            TABLE[code] = decode(code);
        }
    }

    private Float8E4M3() {
    }

    /** The value of one byte. */
    static float toFloat(byte code) {
        return TABLE[code & 0xFF];
    }

    /**
     * The code nearest to {@code value}, ties to the even code (round to nearest even, as torch casts). Values beyond
     * +-448 have no code in this finite type and are refused rather than turned into NaN.
     */
    static byte fromFloat(float value) {
        if (Float.isNaN(value)) {
            return 0x7F;
        }
        float magnitude = Math.abs(value);
        if (magnitude > MAX) {
            throw new IllegalArgumentException(value + " is beyond float8_e4m3fn's largest value " + MAX);
        }
        // the finite codes 0..0x7E ascend in value: a binary search finds the two neighbours of the magnitude (this
        // runs once per weight when a demo checkpoint of half a billion FP8 values is written)
        int low = 0;
        int high = 0x7E;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (TABLE[mid] <= magnitude) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        int best = low;
        if (low < 0x7E) {
            float below = magnitude - TABLE[low];
            float above = TABLE[low + 1] - magnitude;
            if (above < below || (above == below && ((low + 1) & 1) == 0)) {
                best = low + 1;
            }
        }
        int sign = Float.floatToRawIntBits(value) < 0 && best != 0 ? 0x80 : 0;
        return (byte) (sign | best);
    }

    private static float decode(int code) {
        int exponent = (code >>> 3) & 0xF;
        int mantissa = code & 0x7;
        float magnitude;
        if (exponent == 0xF && mantissa == 0x7) {
            magnitude = Float.NaN;
        } else if (exponent == 0) {
            magnitude = mantissa * 0x1p-9f;
        } else {
            magnitude = (1 + mantissa / 8f) * (float) Math.scalb(1.0, exponent - 7);
        }
        return (code & 0x80) != 0 ? -magnitude : magnitude;
    }
}
