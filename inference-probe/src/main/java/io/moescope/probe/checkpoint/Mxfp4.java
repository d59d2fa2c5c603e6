package io.moescope.probe.checkpoint;

/**
 * The MXFP4 format of gpt-oss's released experts (OCP Microscaling, as transformers' {@code integrations/mxfp4.py}
 * unpacks it): blocks of 32 values, each an e2m1 code of 4 bits, two to a byte (the low nibble is the even element,
 * the high nibble the odd one), and one E8M0 scale byte per block meaning {@code 2^(scale - 127)}.
 */
public final class Mxfp4 {

    /** Values per block, and so per scale byte. */
    public static final int BLOCK = 32;

    /** The e2m1 code's value: sign bit 3, then 2 exponent bits and 1 mantissa bit. */
    private static final float[] E2M1 = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f,
        -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};

    private Mxfp4() {
    }

    /**
     * Dequantises one matrix.
     *
     * @param blocks {@code [rows, in / 32, 16]} packed codes
     * @param scales {@code [rows, in / 32]} E8M0 exponents
     * @param rows   output rows (the matrix's out dimension)
     * @return {@code [rows, in]} row-major, an HF linear weight {@code [out, in]}
     */
    public static float[] dequantise(byte[] blocks, byte[] scales, int rows) {
        if (rows < 1 || scales.length % rows != 0 || blocks.length != scales.length * (BLOCK / 2)) {
            throw new IllegalArgumentException(blocks.length + " block bytes and " + scales.length
                    + " scales do not form " + rows + " rows of 32-value blocks");
        }
        float[] out = new float[blocks.length * 2];
        for (int g = 0; g < scales.length; g++) {
            // Math.scalb is exact: every e2m1 value times a power of two is representable unless it leaves float range
            int exponent = (scales[g] & 0xFF) - 127;
            for (int b = 0; b < BLOCK / 2; b++) {
                int packed = blocks[g * (BLOCK / 2) + b] & 0xFF;
                out[g * BLOCK + 2 * b] = Math.scalb(E2M1[packed & 0x0F], exponent);
                out[g * BLOCK + 2 * b + 1] = Math.scalb(E2M1[packed >>> 4], exponent);
            }
        }
        return out;
    }

    /** One matrix in MXFP4: {@code [rows, in / 32, 16]} packed codes and {@code [rows, in / 32]} E8M0 scales. */
    public record Packed(byte[] blocks, byte[] scales) {
    }

    /**
     * Quantises one matrix: each block's scale is the smallest power of two that brings its largest magnitude within
     * e2m1's 6, and each value the nearest e2m1 code of {@code w / scale} (ties to the even code). The OCP spec's
     * {@code 2^(floor(log2 max|w|) - 2)} would clip up to a third of the largest value; this rounds every value to
     * within half a step instead, so {@link #dequantise} gives back the nearest values the format holds.
     *
     * @param weight {@code [rows, in]} row-major, {@code in} a multiple of 32
     */
    public static Packed quantise(float[] weight, int rows) {
        if (rows < 1 || weight.length % rows != 0 || weight.length / rows % BLOCK != 0) {
            throw new IllegalArgumentException(weight.length + " values do not form " + rows
                    + " rows of 32-value blocks");
        }
        byte[] scales = new byte[weight.length / BLOCK];
        byte[] blocks = new byte[weight.length / 2];
        for (int g = 0; g < scales.length; g++) {
            float max = 0;
            for (int i = g * BLOCK; i < (g + 1) * BLOCK; i++) {
                max = Math.max(max, Math.abs(weight[i]));
            }
            // E8M0 holds 2^-127 .. 2^127; an all-zero block takes the smallest
            int exponent = Math.getExponent(max) - 2;
            if (Math.scalb(max, -exponent) > E2M1[7]) {
                exponent++;
            }
            exponent = max == 0 ? -127 : Math.max(-127, Math.min(127, exponent));
            scales[g] = (byte) (exponent + 127);
            for (int b = 0; b < BLOCK / 2; b++) {
                int even = nearestCode(Math.scalb(weight[g * BLOCK + 2 * b], -exponent));
                int odd = nearestCode(Math.scalb(weight[g * BLOCK + 2 * b + 1], -exponent));
                blocks[g * (BLOCK / 2) + b] = (byte) (even | odd << 4);
            }
        }
        return new Packed(blocks, scales);
    }

    /** The e2m1 code nearest to {@code v}, beyond +-6 the largest; between two equally near, the even code. */
    private static int nearestCode(float v) {
        float magnitude = Math.min(Math.abs(v), E2M1[7]);
        int best = 0;
        for (int code = 1; code < 8; code++) {
            float distance = Math.abs(E2M1[code] - magnitude);
            float bestDistance = Math.abs(E2M1[best] - magnitude);
            if (distance < bestDistance || (distance == bestDistance && (code & 1) == 0)) {
                best = code;
            }
        }
        return v < 0 && best != 0 ? best | 8 : best;
    }
}
