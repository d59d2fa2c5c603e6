package io.moescope.probe.checkpoint;

import io.moescope.traces.routing.RouterRule;

/**
 * What DeepSeek-V2 and V3 add to {@link MoeConfig}: the shapes of multi-head latent attention (MLA), the router rule,
 * the multi-token-prediction layers on disk and the FP8 block size. Its RoPE (YaRN as released) is
 * {@link MoeConfig#ropeScaling()}, over the rotary part.
 *
 * @param qLoraRank       {@code q_lora_rank}: width of the query's low-rank bottleneck (q_a_proj / q_a_layernorm /
 *                        q_b_proj), or null for one {@code q_proj} (V2-Lite)
 * @param kvLoraRank      {@code kv_lora_rank}: width of the compressed key/value latent
 * @param qkNopeHeadDim   {@code qk_nope_head_dim}: the part of each query/key head without rotary positions
 * @param qkRopeHeadDim   {@code qk_rope_head_dim}: the rotary part, one key shared by every head
 * @param vHeadDim        {@code v_head_dim}
 * @param ropeInterleave  whether the rotary part rotates adjacent pairs (V3's {@code rope_interleave}, default true; V2
 *                        always) rather than the two halves
 * @param router          the router rule of {@code config.json} (traces' {@link RouterRule}, shared with the importers)
 * @param nextnLayers     {@code num_nextn_predict_layers}: multi-token-prediction layers stored after the decoder's
 *                        ({@code model.layers.{num_hidden_layers}.*}), not part of it
 * @param weightBlocks    the FP8 block size of {@code quantization_config}, or null when the weights are not FP8
 * @param mlpBias         V2's {@code mlp_bias} (transformers' DeepseekV2MLP is LlamaMLP): biases on the gate, up and
 *                        down projections of the dense layers' MLPs and of the shared experts, not of the routed
 *                        experts; always false in V3, whose MLPs have none
 */
public record DeepseekConfig(Integer qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim,
                             boolean ropeInterleave, RouterRule router, int nextnLayers,
                             BlockScales weightBlocks, boolean mlpBias) {

    /** {@code qk_head_dim}: width of one query/key head, its plain and rotary parts together. */
    public int qkHeadDim() {
        return qkNopeHeadDim + qkRopeHeadDim;
    }
}
