package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding tables in HF's layout: the frequencies of {@link RopeFrequencies} (plain
 * {@code theta^(-2i/D)} or YaRN's), and the cos/sin rows are {@code [freqs, freqs]} so they pair with
 * {@code rotate_half}, multiplied by the frequencies' attention factor (1 but for YaRN). Angles are computed in double
 * for the step's positions only, so no table scales with the context length.
 */
final class Rope {

    private final int headDim;
    private final double[] inverseFrequency;
    private final double attentionFactor;
    /** {@code [headDim, headDim]}: {@code x.matMul(rotateHalf)} is rotate_half(x) in one op instead of four. */
    private final NDArray rotateHalf;

    Rope(NDManager manager, int headDim, RopeFrequencies frequencies) {
        this.headDim = headDim;
        int half = headDim / 2;
        float[] r = new float[headDim * headDim];
        for (int i = 0; i < half; i++) {
            // out[i] = -x[i + half]; out[i + half] = x[i]  (row = input index, column = output index)
            r[(i + half) * headDim + i] = -1;
            r[i * headDim + i + half] = 1;
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
                values[t * headDim + i] = v;
                values[t * headDim + half + i] = v;
            }
        }
        return manager.create(values, new Shape(tokens, headDim));
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
