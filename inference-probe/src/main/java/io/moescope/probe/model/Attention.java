package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moescope.probe.checkpoint.MoeConfig;

/**
 * Causal self-attention with rotary positions, grouped-query heads and a KV cache, as in HF's
 * {@code MixtralAttention}. Query head {@code h} reads key/value head {@code h / (heads / kvHeads)}.
 */
final class Attention {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;

    Attention(MoeConfig config) {
        this.heads = config.numHeads();
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.scale = (float) (1 / Math.sqrt(headDim));
    }

    /**
     * @param x     {@code [tokens, hidden]} the normalised hidden states of the step
     * @param cos   {@code [tokens, headDim]} rotary cosines of the step's positions
     * @param sin   {@code [tokens, headDim]} rotary sines
     * @param mask  {@code [tokens, cached + tokens]} additive causal mask, or null for a single token
     * @return {@code [tokens, hidden]} the attention output after the o projection
     */
    NDArray forward(NDArray x, LayerWeights w, int layer, KvCache cache, Rope rope, NDArray cos, NDArray sin,
                    NDArray mask) {
        int tokens = (int) x.getShape().get(0);
        int groups = heads / kvHeads;
        NDArray q = rope.apply(x.matMul(w.q()).reshape(tokens, heads, headDim).transpose(1, 0, 2), cos, sin);
        NDArray k = rope.apply(x.matMul(w.k()).reshape(tokens, kvHeads, headDim).transpose(1, 0, 2), cos, sin);
        NDArray v = x.matMul(w.v()).reshape(tokens, kvHeads, headDim).transpose(1, 0, 2);
        NDArray[] kv = cache.append(layer, k.transpose(0, 2, 1).expandDims(1), v.expandDims(1));
        // [kvHeads, groups, tokens, headDim]: the groups of query heads that share one key/value head.
        NDArray grouped = q.reshape(kvHeads, groups, tokens, headDim);
        NDArray scores = grouped.matMul(kv[0]).mul(scale);
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = scores.softmax(-1).matMul(kv[1]);
        return context.reshape(heads, tokens, headDim).transpose(1, 0, 2).reshape(tokens, (long) heads * headDim)
                .matMul(w.o());
    }

    /** {@code [tokens, cached + tokens]}: 0 where token i may see position j, minus infinity after it. */
    static NDArray causalMask(NDManager manager, int cached, int tokens) {
        int length = cached + tokens;
        float[] mask = new float[tokens * length];
        for (int i = 0; i < tokens; i++) {
            for (int j = cached + i + 1; j < length; j++) {
                mask[i * length + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(tokens, length));
    }
}
