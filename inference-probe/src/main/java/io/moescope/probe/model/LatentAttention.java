package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.moescope.probe.checkpoint.DeepseekConfig;
import io.moescope.probe.checkpoint.MoeConfig;

/**
 * DeepSeek-V2/V3's multi-head latent attention, as in transformers' {@code DeepseekV3Attention}: the query through
 * q_a_proj, q_a_layernorm and q_b_proj (or one q_proj); kv_a_proj_with_mqa gives a compressed latent
 * ({@code kv_lora_rank}) and one rotary key part shared by all heads ({@code qk_rope_head_dim}); the latent, after
 * kv_a_layernorm, goes through kv_b_proj to every head's plain key part and value. Only the rotary parts are rotated
 * (by the model's {@link Rope}: YaRN's frequencies and cos/sin factor over {@code qk_rope_head_dim} as released), and
 * the scores are scaled by {@link LatentSoftmaxScale}. With {@code attention_bias}, q_a_proj, kv_a_proj_with_mqa and
 * o_proj add their biases.
 * The cache holds the expanded keys and values (one per head), so a decode step attends exactly as a prefill does.
 */
final class LatentAttention implements SelfAttention {

    private final int heads;
    private final DeepseekConfig d;  // the latent shapes
    private final float scale;
    private final double eps;

    LatentAttention(MoeConfig config) {
        this.heads = config.numHeads();
        this.d = config.deepseek();
        this.scale = (float) LatentSoftmaxScale.of(d.qkHeadDim(), config.ropeScaling());
        this.eps = config.rmsNormEps();
    }

    /** {@inheritDoc} The rotary tables are {@code [tokens, qk_rope_head_dim]}. */
    @Override
    public NDArray forward(NDArray x, LayerWeights layer, int index, KvCache cache, Rope rope, NDArray cos,
                           NDArray sin, NDArray mask) {
        LayerWeights.LatentWeights w = layer.latent();
        int tokens = (int) x.getShape().get(0);
        int nope = d.qkNopeHeadDim();
        int ropeDim = d.qkRopeHeadDim();
        NDArray queryIn = w.qA() == null ? x : RmsNorm.apply(plus(x.matMul(w.qA()), w.qABias()), w.qANorm(), eps);
        // [heads, tokens, qkHeadDim]
        NDArray q = queryIn.matMul(w.q()).reshape(tokens, heads, d.qkHeadDim()).transpose(1, 0, 2);
        NDArray qRot = rope.apply(q.get(new NDIndex(":, :, {}:", nope)), cos, sin);
        NDArray query = q.get(new NDIndex(":, :, :{}", nope)).concat(qRot, 2);

        NDArray compressed = plus(x.matMul(w.kvA()), w.kvABias());
        NDArray latent = RmsNorm.apply(compressed.get(new NDIndex(":, :{}", d.kvLoraRank())), w.kvANorm(), eps);
        // one rotary key for all heads: [1, tokens, ropeDim], rotated, then repeated per head
        NDArray kRot = rope.apply(compressed.get(new NDIndex(":, {}:", d.kvLoraRank())).reshape(1, tokens, ropeDim),
                cos, sin).broadcast(new Shape(heads, tokens, ropeDim));
        // [heads, tokens, nope + vHeadDim]
        NDArray kv = latent.matMul(w.kvB()).reshape(tokens, heads, nope + d.vHeadDim()).transpose(1, 0, 2);
        NDArray key = kv.get(new NDIndex(":, :, :{}", nope)).concat(kRot, 2);
        NDArray value = kv.get(new NDIndex(":, :, {}:", nope));
        NDArray[] cached = cache.append(index, key.transpose(0, 2, 1).expandDims(1), value.expandDims(1));
        // [heads, 1, tokens, cached + tokens]
        NDArray scores = query.expandDims(1).matMul(cached[0]).mul(scale);
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = scores.softmax(-1).matMul(cached[1]);
        return plus(context.reshape(heads, tokens, d.vHeadDim()).transpose(1, 0, 2)
                .reshape(tokens, (long) heads * d.vHeadDim()).matMul(w.o()), w.oBias());
    }

    /** {@code y + bias} (broadcast over the tokens), or {@code y} where the projection has none. */
    private static NDArray plus(NDArray y, NDArray bias) {
        return bias == null ? y : y.add(bias);
    }
}
