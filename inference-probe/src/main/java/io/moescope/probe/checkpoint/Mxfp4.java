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
}
