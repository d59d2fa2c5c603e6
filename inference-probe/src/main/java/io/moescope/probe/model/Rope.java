package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding tables in HF's layout: the frequencies of {@link RopeFrequencies} (plain
 * {@code theta^(-2i/D)} or YaRN's), and the cos/sin rows are {@code [freqs, freqs]} so they pair with
 * {@code rotate_half}, multiplied by the frequencies' attention factor (1 but for YaRN). Angles are computed in double
 * for the step's positions only, so no table scales with the context length.
 * DeepSeek rotates interleaved pairs instead ({@code rope_interleave}): frequency {@code i} turns elements
 * {@code 2i, 2i+1}. transformers de-interleaves q and k first ({@code apply_rotary_pos_emb_interleave}), DeepSeek's
 * code rotates the pairs in place; either way every q . k is the same, which is all attention reads.
 */
final class Rope {

    private final int headDim;
    private final double[] inverseFrequency;
    private final double attentionFactor;
    private final boolean interleaved;
    /** {@code [headDim, headDim]}: {@code x.matMul(rotateHalf)} is rotate_half(x) in one op instead of four. */
    private final NDArray rotateHalf;

    /**
     * @param frequencies {@code headDim / 2} inverse frequencies and the factor of cos and sin
     * @param interleaved whether frequency i turns elements 2i and 2i+1 (DeepSeek) rather than i and i + D/2
     */
    Rope(NDManager manager, int headDim, RopeFrequencies frequencies, boolean interleaved) {
        this.headDim = headDim;
        this.interleaved = interleaved;
        int half = headDim / 2;
        float[] r = new float[headDim * headDim];
        for (int i = 0; i < half; i++) {
            // out[a] = -x[b]; out[b] = x[a] for the pair (a, b)  (row = input index, column = output index)
            r[second(i) * headDim + first(i)] = -1;
            r[first(i) * headDim + second(i)] = 1;
        }
        this.rotateHalf = manager.create(r, new Shape(headDim, headDim));
        this.inverseFrequency = frequencies.inverse();
        this.attentionFactor = frequencies.attentionFactor();
        if (inverseFrequency.length != half) {
            throw new IllegalArgumentException(inverseFrequency.length + " frequencies for head_dim " + headDim);
        }
    }

    /** {@code [tokens, headDim]} cos (or sin) of the angles for positions {@code start ..}. */
    NDArray table(NDManager manager, int start, int tokens, boolean sine) {
        float[] values = new float[tokens * headDim];
        int half = headDim / 2;
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < half; i++) {
                double angle = (start + t) * inverseFrequency[i];
                float v = (float) ((sine ? Math.sin(angle) : Math.cos(angle)) * attentionFactor);
                values[t * headDim + first(i)] = v;
                values[t * headDim + second(i)] = v;
            }
        }
        return manager.create(values, new Shape(tokens, headDim));
    }

    /** The element of pair {@code i} that takes {@code -sin} from its partner. */
    private int first(int i) {
        return interleaved ? 2 * i : i;
    }

    private int second(int i) {
        return interleaved ? 2 * i + 1 : i + headDim / 2;
    }

    /**
     * Rotates {@code x} by the step's angles: {@code x * cos + rotate_half(x) * sin}, with
     * {@code rotate_half([a, b]) = [-b, a]} over the last axis.
     *
     * @param x   {@code [heads, tokens, headDim]}
     * @param cos {@code [tokens, headDim]}
     * @param sin {@code [tokens, headDim]}
     * @return {@code [heads, tokens, headDim]}
     */
    NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
    }
}
