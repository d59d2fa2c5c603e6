package io.moescope.traces.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collections;

/** Released models' config.json files, key for key as published on the Hugging Face hub. */
public final class ReleasedConfigs {

    /** openai/gpt-oss-120b. */
    public static final String GPT_OSS_120B = gptOss(36, 128);

    /** openai/gpt-oss-20b. */
    public static final String GPT_OSS_20B = gptOss(24, 32);

    /** deepseek-ai/DeepSeek-V3. */
    public static final String DEEPSEEK_V3 = """
            {"architectures": ["DeepseekV3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "auto_map": {"AutoConfig": "configuration_deepseek.DeepseekV3Config",
              "AutoModel": "modeling_deepseek.DeepseekV3Model",
              "AutoModelForCausalLM": "modeling_deepseek.DeepseekV3ForCausalLM"},
             "bos_token_id": 0, "eos_token_id": 1, "ep_size": 1, "first_k_dense_replace": 3, "hidden_act": "silu",
             "hidden_size": 7168, "initializer_range": 0.02, "intermediate_size": 18432, "kv_lora_rank": 512,
             "max_position_embeddings": 163840, "model_type": "deepseek_v3", "moe_intermediate_size": 2048,
             "moe_layer_freq": 1, "n_group": 8, "n_routed_experts": 256, "n_shared_experts": 1,
             "norm_topk_prob": true, "num_attention_heads": 128, "num_experts_per_tok": 8, "num_hidden_layers": 61,
             "num_key_value_heads": 128, "num_nextn_predict_layers": 1, "q_lora_rank": 1536,
             "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
             "quantization_config": {"activation_scheme": "dynamic", "fmt": "e4m3", "quant_method": "fp8",
              "weight_block_size": [128, 128]},
             "rms_norm_eps": 1e-06,
             "rope_scaling": {"beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 1.0, "mscale_all_dim": 1.0,
              "original_max_position_embeddings": 4096, "type": "yarn"},
             "rope_theta": 10000, "routed_scaling_factor": 2.5, "scoring_func": "sigmoid",
             "tie_word_embeddings": false, "topk_group": 4, "topk_method": "noaux_tc", "torch_dtype": "bfloat16",
             "transformers_version": "4.33.1", "use_cache": true, "v_head_dim": 128, "vocab_size": 129280}""";

    /** deepseek-ai/DeepSeek-V2. */
    public static final String DEEPSEEK_V2 = """
            {"architectures": ["DeepseekV2ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "aux_loss_alpha": 0.001, "bos_token_id": 100000, "eos_token_id": 100001, "ep_size": 1,
             "first_k_dense_replace": 1, "hidden_act": "silu", "hidden_size": 5120, "initializer_range": 0.02,
             "intermediate_size": 12288, "kv_lora_rank": 512, "max_position_embeddings": 163840,
             "model_type": "deepseek_v2", "moe_intermediate_size": 1536, "moe_layer_freq": 1, "n_group": 8,
             "n_routed_experts": 160, "n_shared_experts": 2, "norm_topk_prob": false, "num_attention_heads": 128,
             "num_experts_per_tok": 6, "num_hidden_layers": 60, "num_key_value_heads": 128, "pretraining_tp": 1,
             "q_lora_rank": 1536, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "rms_norm_eps": 1e-06,
             "rope_scaling": {"beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 0.707,
              "mscale_all_dim": 0.707, "original_max_position_embeddings": 4096, "type": "yarn"},
             "rope_theta": 10000, "routed_scaling_factor": 16.0, "scoring_func": "softmax", "seq_aux": true,
             "tie_word_embeddings": false, "topk_group": 3, "topk_method": "group_limited_greedy",
             "torch_dtype": "bfloat16", "transformers_version": "4.39.3", "use_cache": true, "v_head_dim": 128,
             "vocab_size": 102400}""";

    /** deepseek-ai/DeepSeek-V2-Lite. */
    public static final String DEEPSEEK_V2_LITE = """
            {"architectures": ["DeepseekV2ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "aux_loss_alpha": 0.001, "bos_token_id": 100000, "eos_token_id": 100001, "first_k_dense_replace": 1,
             "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 10944,
             "kv_lora_rank": 512, "max_position_embeddings": 163840, "model_type": "deepseek_v2",
             "moe_intermediate_size": 1408, "moe_layer_freq": 1, "n_group": 1, "n_routed_experts": 64,
             "n_shared_experts": 2, "norm_topk_prob": false, "num_attention_heads": 16, "num_experts_per_tok": 6,
             "num_hidden_layers": 27, "num_key_value_heads": 16, "pretraining_tp": 1, "q_lora_rank": null,
             "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "rms_norm_eps": 1e-06,
             "rope_scaling": {"beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 0.707,
              "mscale_all_dim": 0.707, "original_max_position_embeddings": 4096, "type": "yarn"},
             "rope_theta": 10000, "routed_scaling_factor": 1.0, "scoring_func": "softmax", "seq_aux": true,
             "tie_word_embeddings": false, "topk_group": 1, "topk_method": "greedy", "torch_dtype": "bfloat16",
             "transformers_version": "4.33.1", "use_cache": true, "v_head_dim": 128, "vocab_size": 102400}""";

    /** mistralai/Mixtral-8x7B-v0.1. */
    public static final String MIXTRAL_8X7B = """
            {"architectures": ["MixtralForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 1,
             "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 4096, "initializer_range": 0.02,
             "intermediate_size": 14336, "max_position_embeddings": 32768, "model_type": "mixtral",
             "num_attention_heads": 32, "num_experts_per_tok": 2, "num_hidden_layers": 32,
             "num_key_value_heads": 8, "num_local_experts": 8, "output_router_logits": false,
             "rms_norm_eps": 1e-05, "rope_theta": 1000000.0, "router_aux_loss_coef": 0.02,
             "sliding_window": null, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
             "transformers_version": "4.36.0.dev0", "use_cache": true, "vocab_size": 32000}""";

    /** allenai/OLMoE-1B-7B-0924. */
    public static final String OLMOE_1B_7B = """
            {"architectures": ["OlmoeForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "clip_qkv": null, "eos_token_id": 50279, "hidden_act": "silu", "hidden_size": 2048,
             "initializer_range": 0.02, "intermediate_size": 1024, "max_position_embeddings": 4096,
             "model_type": "olmoe", "norm_topk_prob": false, "num_attention_heads": 16, "num_experts": 64,
             "num_experts_per_tok": 8, "num_hidden_layers": 16, "num_key_value_heads": 16,
             "output_router_logits": false, "pad_token_id": 1, "rms_norm_eps": 1e-05, "rope_scaling": null,
             "rope_theta": 10000.0, "router_aux_loss_coef": 0.01, "tie_word_embeddings": false,
             "torch_dtype": "bfloat16", "transformers_version": "4.43.0.dev0", "use_cache": true,
             "vocab_size": 50304}""";

    /** Qwen/Qwen1.5-MoE-A2.7B. */
    public static final String QWEN15_MOE_A27B = """
            {"architectures": ["Qwen2MoeForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
             "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02,
             "intermediate_size": 5632, "max_position_embeddings": 8192, "max_window_layers": 21,
             "model_type": "qwen2_moe", "num_attention_heads": 16, "num_hidden_layers": 24,
             "num_key_value_heads": 16, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768,
             "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.36.0.dev0",
             "use_cache": true, "use_sliding_window": false, "vocab_size": 151936, "decoder_sparse_step": 1,
             "moe_intermediate_size": 1408, "shared_expert_intermediate_size": 5632, "num_experts_per_tok": 4,
             "num_experts": 60, "norm_topk_prob": false, "output_router_logits": false,
             "router_aux_loss_coef": 0.001}""";

    /** Qwen/Qwen3-30B-A3B. */
    public static final String QWEN3_30B_A3B = """
            {"architectures": ["Qwen3MoeForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 151643, "decoder_sparse_step": 1, "eos_token_id": 151645, "head_dim": 128,
             "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 6144,
             "max_position_embeddings": 40960, "max_window_layers": 48, "mlp_only_layers": [],
             "model_type": "qwen3_moe", "moe_intermediate_size": 768, "norm_topk_prob": true,
             "num_attention_heads": 32, "num_experts": 128, "num_experts_per_tok": 8, "num_hidden_layers": 48,
             "num_key_value_heads": 4, "output_router_logits": false, "rms_norm_eps": 1e-06, "rope_scaling": null,
             "rope_theta": 1000000.0, "router_aux_loss_coef": 0.001, "sliding_window": null,
             "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.51.0",
             "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}""";

    /** zai-org/GLM-4.5-Air. */
    public static final String GLM_45_AIR = """
            {"architectures": ["Glm4MoeForCausalLM"], "attention_bias": true, "attention_dropout": 0.0,
             "pad_token_id": 151329, "eos_token_id": [151329, 151336, 151338], "head_dim": 128,
             "hidden_act": "silu", "hidden_size": 4096, "partial_rotary_factor": 0.5, "initializer_range": 0.02,
             "intermediate_size": 10944, "max_position_embeddings": 131072, "model_type": "glm4_moe",
             "moe_intermediate_size": 1408, "norm_topk_prob": true, "num_attention_heads": 96, "n_group": 1,
             "topk_group": 1, "n_routed_experts": 128, "n_shared_experts": 1, "routed_scaling_factor": 1.0,
             "num_experts_per_tok": 8, "first_k_dense_replace": 1, "num_hidden_layers": 46,
             "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_scaling": null, "rope_theta": 1000000,
             "num_nextn_predict_layers": 1, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
             "transformers_version": "4.54.0", "use_cache": true, "use_qk_norm": false, "vocab_size": 151552}""";

    private ReleasedConfigs() {
    }

    public static ModelConfig read(String json, String name) {
        try {
            return ModelConfig.of(new ObjectMapper().readTree(json), name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** gpt-oss's config: the two sizes differ only in layers (alternating sliding and full attention) and experts. */
    private static String gptOss(int layers, int experts) {
        String layerTypes = String.join(", ", Collections.nCopies(layers / 2,
                "\"sliding_attention\", \"full_attention\""));
        return """
                {"architectures": ["GptOssForCausalLM"], "attention_bias": true, "attention_dropout": 0.0,
                 "eos_token_id": 200002, "experts_per_token": 4, "head_dim": 64, "hidden_act": "silu",
                 "hidden_size": 2880, "initial_context_length": 4096, "initializer_range": 0.02,
                 "intermediate_size": 2880, "layer_types": [%s], "max_position_embeddings": 131072,
                 "model_type": "gpt_oss", "num_attention_heads": 64, "num_experts_per_tok": 4,
                 "num_hidden_layers": %d, "num_key_value_heads": 8, "num_local_experts": %d,
                 "output_router_logits": false, "pad_token_id": 199999,
                 "quantization_config": {"modules_to_not_convert": ["model.layers.*.self_attn",
                  "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], "quant_method": "mxfp4"},
                 "rms_norm_eps": 1e-05, "rope_scaling": {"beta_fast": 32.0, "beta_slow": 1.0, "factor": 32.0,
                  "original_max_position_embeddings": 4096, "rope_type": "yarn", "truncate": false},
                 "rope_theta": 150000, "router_aux_loss_coef": 0.9, "sliding_window": 128, "swiglu_limit": 7.0,
                 "tie_word_embeddings": false, "transformers_version": "4.55.0.dev0", "use_cache": true,
                 "vocab_size": 201088}""".formatted(layerTypes, layers, experts);
    }
}
