package io.moescope.probe.checkpoint;

import java.util.List;

/**
 * The tensors of gpt-oss's experts, each stacked over all experts of a layer ({@code [experts, ...]}, expert
 * {@code e}'s part contiguous at {@code e * perExpert}), in the layout on disk. In float form the matrices are
 * {@code [in, out]} ({@code x @ W}); in the released MXFP4 form they are {@code [out, in / 32, 16]} bytes of packed
 * e2m1 pairs with one E8M0 scale per 32 values ({@code [out, in / 32]}), see {@link Mxfp4}.
 */
public enum StackedExpertTensor {
    /** {@code [H, 2I]}: gate and up, interleaved (gate = even columns, up = odd). */
    GATE_UP("gate_up_proj"),
    /** {@code [2I]}, interleaved as {@link #GATE_UP}. */
    GATE_UP_BIAS("gate_up_proj_bias"),
    /** {@code [I, H]}. */
    DOWN("down_proj"),
    /** {@code [H]}. */
    DOWN_BIAS("down_proj_bias"),
    /** {@code [2I, H/32, 16]} bytes. */
    GATE_UP_BLOCKS("gate_up_proj_blocks"),
    /** {@code [2I, H/32]} bytes. */
    GATE_UP_SCALES("gate_up_proj_scales"),
    /** {@code [H, I/32, 16]} bytes. */
    DOWN_BLOCKS("down_proj_blocks"),
    /** {@code [H, I/32]} bytes. */
    DOWN_SCALES("down_proj_scales");

    private final String suffix;

    StackedExpertTensor(String suffix) {
        this.suffix = suffix;
    }

    /** The tensor's full name in {@code layer}. */
    public String name(int layer) {
        return DecoderTensors.layer(layer, "mlp.experts." + suffix);
    }

    /** Whether the tensor holds MXFP4 bytes (dtype U8) rather than floats. */
    public boolean packed() {
        return this == GATE_UP_BLOCKS || this == GATE_UP_SCALES || this == DOWN_BLOCKS || this == DOWN_SCALES;
    }

    /** One expert's shape, without the leading expert axis. */
    public long[] perExpert(MoeConfig c) {
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        return switch (this) {
            case GATE_UP -> new long[] {h, 2 * i};
            case GATE_UP_BIAS -> new long[] {2 * i};
            case DOWN -> new long[] {i, h};
            case DOWN_BIAS -> new long[] {h};
            case GATE_UP_BLOCKS -> new long[] {2 * i, h / Mxfp4.BLOCK, Mxfp4.BLOCK / 2};
            case GATE_UP_SCALES -> new long[] {2 * i, h / Mxfp4.BLOCK};
            case DOWN_BLOCKS -> new long[] {h, i / Mxfp4.BLOCK, Mxfp4.BLOCK / 2};
            case DOWN_SCALES -> new long[] {h, i / Mxfp4.BLOCK};
        };
    }

    /** Elements (or bytes, when packed) of one expert's part. */
    public int perExpertElements(MoeConfig c) {
        long n = 1;
        for (long d : perExpert(c)) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** The tensors a layer holds: the float matrices or the MXFP4 ones, and the biases either way. */
    public static List<StackedExpertTensor> of(GptOssExperts experts) {
        return experts.mxfp4()
                ? List.of(GATE_UP_BLOCKS, GATE_UP_SCALES, GATE_UP_BIAS, DOWN_BLOCKS, DOWN_SCALES, DOWN_BIAS)
                : List.of(GATE_UP, GATE_UP_BIAS, DOWN, DOWN_BIAS);
    }
}
