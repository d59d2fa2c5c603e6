package io.moescope.traces.model;

/**
 * The parameters of one decoder layer's parts, per architecture, as the HF modelling code builds them.
 *
 * @param attention the attention block: projections, their biases and norms, gpt-oss's sinks
 * @param expert    one routed expert
 * @param router    the router of an MoE layer (weight, gpt-oss's bias, DeepSeek-V3's {@code e_score_correction_bias})
 * @param shared    the always-active shared expert(s) of an MoE layer, with Qwen2-MoE's shared-expert gate
 * @param denseMlp  the MLP of a dense layer
 */
record LayerTensors(long attention, long expert, long router, long shared, long denseMlp) {

    static LayerTensors of(ModelConfig config, int hidden) {
        ConfigValues v = config.values();
        long n = config.numExperts();
        long routerWeight = n * hidden;
        return switch (config.architecture()) {
            case "MixtralForCausalLM" -> {
                long expert = swiGlu(hidden, v.integer("intermediate_size", 1));
                yield new LayerTensors(Heads.of(v, hidden).projections(false, false), expert, routerWeight, 0, expert);
            }
            case "OlmoeForCausalLM" -> {
                var heads = Heads.of(v, hidden);
                boolean bias = v.bool("attention_bias", false);
                // q_norm spans all query heads, k_norm all key heads
                long attention = heads.projections(bias, bias) + heads.queryWidth() + heads.keyWidth();
                long expert = swiGlu(hidden, v.integer("intermediate_size", 1));
                yield new LayerTensors(attention, expert, routerWeight, 0, expert);
            }
            case "Qwen2MoeForCausalLM" -> {
                long sharedWidth = v.integer("shared_expert_intermediate_size", 0);
                // the shared expert's gate is a [1, hidden] projection
                long shared = sharedWidth == 0 ? 0 : swiGlu(hidden, sharedWidth) + hidden;
                yield new LayerTensors(Heads.of(v, hidden).projections(v.bool("qkv_bias", true), false),
                        swiGlu(hidden, v.integer("moe_intermediate_size", 1)), routerWeight, shared,
                        swiGlu(hidden, v.integer("intermediate_size", 1)));
            }
            case "Qwen3MoeForCausalLM" -> {
                var heads = Heads.of(v, hidden);
                boolean bias = v.bool("attention_bias", false);
                // q_norm and k_norm are per head: head_dim each
                long attention = heads.projections(bias, bias) + 2L * heads.headDim();
                yield new LayerTensors(attention, swiGlu(hidden, v.integer("moe_intermediate_size", 1)),
                        routerWeight, 0, swiGlu(hidden, v.integer("intermediate_size", 1)));
            }
            case "GptOssForCausalLM" -> gptOss(v, hidden, routerWeight + n);
            default -> deepseek(config, hidden, routerWeight);
        };
    }

    /** gate_up_proj [H, 2I] + bias, down_proj [I, H] + bias per expert; one sink logit per head. */
    private static LayerTensors gptOss(ConfigValues v, int hidden, long router) {
        var heads = Heads.of(v, hidden);
        boolean bias = v.bool("attention_bias", true);
        long width = v.integer("intermediate_size", 1);
        long expert = swiGlu(hidden, width) + 2 * width + hidden;
        return new LayerTensors(heads.projections(bias, bias) + heads.count(), expert, router, 0, 0);
    }

    /**
     * DeepSeek-V2/V3: MLA attention, shared experts of n_shared_experts x moe_intermediate_size. V2's
     * {@code mlp_bias} (its MLP is transformers' LlamaMLP) adds biases to the shared experts and the dense MLPs, not
     * to the routed experts; V3's MLPs never have them.
     */
    private static LayerTensors deepseek(ModelConfig config, int hidden, long routerWeight) {
        ConfigValues v = config.values();
        boolean v3 = config.architecture().equals("DeepseekV3ForCausalLM");
        boolean mlpBias = !v3 && v.bool("mlp_bias", false);
        long expert = swiGlu(hidden, v.integer("moe_intermediate_size", 1));
        // V3's router holds the e_score_correction_bias buffer, saved in the checkpoint
        long router = v3 ? routerWeight + config.numExperts() : routerWeight;
        long sharedWidth = (long) v.integer("n_shared_experts", 0, 0) * v.integer("moe_intermediate_size", 1);
        long shared = sharedWidth == 0 ? 0 : swiGlu(hidden, sharedWidth) + (mlpBias ? 2 * sharedWidth + hidden : 0);
        long denseWidth = v.integer("intermediate_size", 1);
        return new LayerTensors(LatentAttention.of(v, hidden).parameters(), expert, router, shared,
                swiGlu(hidden, denseWidth) + (mlpBias ? 2 * denseWidth + hidden : 0));
    }

    /** gate, up and down projections without biases. */
    static long swiGlu(long hidden, long width) {
        return 3 * hidden * width;
    }
}
