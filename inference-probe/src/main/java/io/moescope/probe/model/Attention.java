package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.moescope.probe.checkpoint.Architecture;
import io.moescope.probe.checkpoint.MoeConfig;

/**
 * Causal self-attention with rotary positions, grouped-query heads and a KV cache, as in HF's
 * {@code MixtralAttention}. Query head {@code h} reads key/value head {@code h / (heads / kvHeads)}. The
 * per-architecture pieces: q/k/v biases (Qwen2-MoE) or q/k/v/o biases (OLMoE, Qwen3-MoE with
 * {@code attention_bias}, gpt-oss), RMSNorm of q and k across all heads before they are split
 * (OLMoE) or of each head (Qwen3-MoE), always before the rotation; gpt-oss's sinks (one extra logit per head in each
 * softmax row, whose probability is then dropped) and its sliding-window layers (a mask from the caller).
 */
final class Attention implements SelfAttention {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private final double eps;
    private final Architecture.QkNorm qkNorm;

    Attention(MoeConfig config) {
        this.eps = config.rmsNormEps();
        this.qkNorm = config.arch().qkNorm();
        this.heads = config.numHeads();
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.scale = (float) (1 / Math.sqrt(headDim));
    }

    /**
     * @param x     {@code [tokens, hidden]} the normalised hidden states of the step
     * @param cos   {@code [tokens, headDim]} rotary cosines of the step's positions
     * @param sin   {@code [tokens, headDim]} rotary sines
     * @param mask  {@code [tokens, cached + tokens]} additive mask of the layer ({@link #mask}), or null when the step
     *              may see every cached position
     * @return {@code [tokens, hidden]} the attention output after the o projection
     */
    @Override
    public NDArray forward(NDArray x, LayerWeights w, int layer, KvCache cache, Rope rope, NDArray cos, NDArray sin,
                           NDArray mask) {
        int tokens = (int) x.getShape().get(0);
        int groups = heads / kvHeads;
        NDArray q = rope.apply(heads(project(x, w.q(), w.qBias()), w.qNorm(), tokens, heads), cos, sin);
        NDArray k = rope.apply(heads(project(x, w.k(), w.kBias()), w.kNorm(), tokens, kvHeads), cos, sin);
        NDArray v = project(x, w.v(), w.vBias()).reshape(tokens, kvHeads, headDim).transpose(1, 0, 2);
        NDArray[] kv = cache.append(layer, k.transpose(0, 2, 1).expandDims(1), v.expandDims(1));
        // [kvHeads, groups, tokens, headDim]: the groups of query heads that share one key/value head.
        NDArray grouped = q.reshape(kvHeads, groups, tokens, headDim);
        NDArray scores = grouped.matMul(kv[0]).mul(scale);
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = probabilities(scores, w.sinks()).matMul(kv[1]);
        return project(context.reshape(heads, tokens, headDim).transpose(1, 0, 2)
                .reshape(tokens, (long) heads * headDim), w.o(), w.oBias());
    }

    /**
     * The softmax over each row of scores; with sinks, over the row and the head's sink logit, whose share is then
     * dropped, so a head can give less than all its attention to the tokens (gpt-oss's
     * {@code eager_attention_forward}).
     *
     * @param scores {@code [kvHeads, groups, tokens, length]}
     * @param sinks  {@code [kvHeads, groups, 1, 1]} or null
     * @return {@code [kvHeads, groups, tokens, length]}
     */
    private static NDArray probabilities(NDArray scores, NDArray sinks) {
        if (sinks == null) {
            return scores.softmax(-1);
        }
        long length = scores.getShape().get(3);
        // zerosLike keeps the sink column in the step's manager: the sinks array is the model's
        NDArray column = scores.get(new NDIndex("..., 0:1")).zerosLike().add(sinks);
        return scores.concat(column, -1).softmax(-1).get(new NDIndex("..., 0:" + length));
    }

    /** {@code [tokens, in] x [in, out] (+ [out])}: a linear projection with an optional bias. */
    private static NDArray project(NDArray x, NDArray weight, NDArray bias) {
        NDArray y = x.matMul(weight);
        return bias == null ? y : y.add(bias);
    }

    /**
     * Applies the architecture's q/k norm and splits into heads.
     *
     * @param projected {@code [tokens, count * headDim]}
     * @param norm      the norm weight, null when the architecture has none
     * @return {@code [count, tokens, headDim]}
     */
    private NDArray heads(NDArray projected, NDArray norm, int tokens, int count) {
        NDArray y = qkNorm == Architecture.QkNorm.ACROSS_HEADS ? RmsNorm.apply(projected, norm, eps) : projected;
        y = y.reshape(tokens, count, headDim);
        if (qkNorm == Architecture.QkNorm.PER_HEAD) {
            y = RmsNorm.apply(y, norm, eps);
        }
        return y.transpose(1, 0, 2);
    }

    /**
     * {@code [tokens, cached + tokens]}: 0 where the step's token {@code i} (position {@code q = cached + i}) may see
     * position {@code j}, minus infinity elsewhere: after it, and {@code window} or more positions before it (HF's
     * sliding mask keeps {@code q - window < j <= q}).
     *
     * @param window {@code sliding_window}, or {@link Integer#MAX_VALUE} for full causal attention
     * @return the mask, or null when it would mask nothing (a full layer's single decode token)
     */
    static NDArray mask(NDManager manager, int cached, int tokens, int window) {
        int length = cached + tokens;
        float[] mask = new float[tokens * length];
        boolean any = false;
        for (int i = 0; i < tokens; i++) {
            int q = cached + i;
            for (int j = 0; j < length; j++) {
                if (j > q || (long) q - j >= window) {
                    mask[i * length + j] = Float.NEGATIVE_INFINITY;
                    any = true;
                }
            }
        }
        return any ? manager.create(mask, new Shape(tokens, length)) : null;
    }
}
