package io.moescope.probe.checkpoint;

/**
 * Fine-grained FP8's block scales (DeepSeek-V3's release, transformers' {@code integrations/finegrained_fp8.py}): a
 * weight {@code [out, in]} stored as {@code float8_e4m3fn} comes with {@code weight_scale_inv}
 * {@code [ceil(out / rows), ceil(in / cols)]}, and the real weight is each {@code rows x cols} block times its scale
 * (the name says "inverse" of the scale that quantised it). Blocks at the right and bottom edges are partial.
 *
 * @param rows block height ({@code weight_block_size[0]}, 128 in the release)
 * @param cols block width ({@code weight_block_size[1]}, 128 in the release)
 */
public record BlockScales(int rows, int cols) {

    /** The release's 128 x 128 blocks. */
    public static final BlockScales DEEPSEEK_V3 = new BlockScales(128, 128);

    public BlockScales {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("weight_block_size must be positive but is [" + rows + ", " + cols
                    + "]");
        }
    }

    /** The scale tensor's shape for a weight of {@code [out, in]}. */
    public long[] scaleShape(long out, long in) {
        return new long[] {ceil(out, rows), ceil(in, cols)};
    }

    /**
     * Multiplies each block of {@code weight} by its scale, in place.
     *
     * @param weight   {@code [out, in]} row-major, the FP8 values widened to float
     * @param scaleInv {@link #scaleShape} row-major
     * @return {@code weight}
     */
    public float[] apply(float[] weight, int out, int in, float[] scaleInv) {
        int blocksAcross = (int) ceil(in, cols);
        if (weight.length != (long) out * in || scaleInv.length != ceil(out, rows) * blocksAcross) {
            throw new IllegalArgumentException("a [" + out + ", " + in + "] weight needs "
                    + ceil(out, rows) * blocksAcross
                    + " block scales but has " + scaleInv.length);
        }
        for (int r = 0; r < out; r++) {
            int scaleRow = r / rows * blocksAcross;
            for (int c = 0; c < in; c++) {
                weight[r * in + c] *= scaleInv[scaleRow + c / cols];
            }
        }
        return weight;
    }

    /**
     * The inverse of {@link #apply}, as DeepSeek quantised its release: each block divided by
     * {@code scale_inv = max|w| / 448} (1 for an all-zero block), so that its largest value is float8_e4m3fn's largest.
     * The division is in place; writing the result as {@link DType#F8_E4M3} rounds it to the nearest code.
     *
     * @param weight {@code [out, in]} row-major, overwritten with the values to store
     * @return the {@code weight_scale_inv} tensor, {@link #scaleShape} row-major
     */
    public float[] quantise(float[] weight, int out, int in) {
        if (weight.length != (long) out * in) {
            throw new IllegalArgumentException(weight.length + " values do not form a [" + out + ", " + in
                    + "] weight");
        }
        int blocksAcross = (int) ceil(in, cols);
        float[] scaleInv = new float[(int) ceil(out, rows) * blocksAcross];
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) {
                int s = r / rows * blocksAcross + c / cols;
                scaleInv[s] = Math.max(scaleInv[s], Math.abs(weight[r * in + c]));
            }
        }
        for (int s = 0; s < scaleInv.length; s++) {
            scaleInv[s] = scaleInv[s] == 0 ? 1 : scaleInv[s] / Float8E4M3.MAX;
        }
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) {
                float scaled = weight[r * in + c] / scaleInv[r / rows * blocksAcross + c / cols];
                // the division can land a rounding step beyond 448, which has no code
                weight[r * in + c] = Math.max(-Float8E4M3.MAX, Math.min(Float8E4M3.MAX, scaled));
            }
        }
        return scaleInv;
    }

    private static long ceil(long n, int block) {
        return (n + block - 1) / block;
    }
}
