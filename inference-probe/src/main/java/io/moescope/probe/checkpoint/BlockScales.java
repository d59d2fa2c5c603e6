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

    private static long ceil(long n, int block) {
        return (n + block - 1) / block;
    }
}
