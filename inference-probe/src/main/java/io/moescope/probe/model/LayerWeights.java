package io.moescope.probe.model;

import ai.djl.ndarray.NDArray;

/**
 * One decoder layer's weights on the engine. Linear weights are kept as transposed views ({@code [in, out]}) so that
 * every projection is {@code x.matMul(w)}: the step's activation is the receiver and the result lands in the step's
 * manager, never in the model's. Optional parts are null where the architecture has none.
 *
 * @param inputNorm {@code [hidden]}
 * @param q         {@code [hidden, heads * headDim]}
 * @param k         {@code [hidden, kvHeads * headDim]}
 * @param v         {@code [hidden, kvHeads * headDim]}
 * @param o         {@code [heads * headDim, hidden]}
 * @param qBias     {@code [heads * headDim]} or null
 * @param kBias     {@code [kvHeads * headDim]} or null
 * @param vBias     {@code [kvHeads * headDim]} or null
 * @param oBias     {@code [hidden]} or null
 * @param qNorm     {@code [heads * headDim]} (OLMoE) or {@code [headDim]} (Qwen3-MoE) or null
 * @param kNorm     {@code [kvHeads * headDim]} (OLMoE) or {@code [headDim]} (Qwen3-MoE) or null
 * @param sinks     gpt-oss's sink logits, {@code [kvHeads, groups, 1, 1]} (head {@code h} at
 *                  {@code [h / groups, h % groups]}), or null
 * @param postNorm  {@code [hidden]}
 * @param ffn       the layer's router and experts, or its dense MLP
 * @param latent    DeepSeek's latent attention, which takes the place of q, k, v and o (then null); else null
 */
record LayerWeights(NDArray inputNorm, NDArray q, NDArray k, NDArray v, NDArray o, NDArray qBias, NDArray kBias,
                    NDArray vBias, NDArray oBias, NDArray qNorm, NDArray kNorm, NDArray sinks, NDArray postNorm,
                    FeedForward ffn, LatentWeights latent) {

    /**
     * DeepSeek's multi-head latent attention weights, linear ones as transposed views ({@code [in, out]}).
     *
     * @param qA       {@code [hidden, qLoraRank]} q_a_proj, or null without q_lora_rank
     * @param qANorm   {@code [qLoraRank]} q_a_layernorm, or null
     * @param q        {@code [qLoraRank or hidden, heads * qkHeadDim]} q_b_proj, or q_proj without q_lora_rank
     * @param kvA      {@code [hidden, kvLoraRank + ropeDim]} kv_a_proj_with_mqa
     * @param kvANorm  {@code [kvLoraRank]} kv_a_layernorm
     * @param kvB      {@code [kvLoraRank, heads * (nopeDim + vHeadDim)]} kv_b_proj
     * @param o        {@code [heads * vHeadDim, hidden]} o_proj
     * @param qABias   {@code [qLoraRank]} q_a_proj's bias with {@code attention_bias} and q_lora_rank, else null
     * @param kvABias  {@code [kvLoraRank + ropeDim]} kv_a_proj_with_mqa's bias with {@code attention_bias}, else null
     * @param oBias    {@code [hidden]} o_proj's bias with {@code attention_bias}, else null
     */
    record LatentWeights(NDArray qA, NDArray qANorm, NDArray q, NDArray kvA, NDArray kvANorm, NDArray kvB,
                         NDArray o, NDArray qABias, NDArray kvABias, NDArray oBias) {
    }
}
