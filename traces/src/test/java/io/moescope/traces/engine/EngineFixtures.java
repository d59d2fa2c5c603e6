package io.moescope.traces.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.traces.model.ModelConfig;
import java.io.IOException;

/**
 * Responses as vLLM's OpenAI server and SGLang's {@code /generate} return them, of a tiny DeepSeek-V3-shaped model:
 * 3 hidden layers, layer 0 dense ({@code first_k_dense_replace} 1), 8 routed experts, top-2. The engines size the
 * layer axis by all 3 layers; vLLM's zero-filled buffer leaves {@code [0, 0]} at the dense layer.
 */
public final class EngineFixtures {

    public static final String CONFIG = """
            {"_name_or_path": "tiny-deepseek-v3", "architectures": ["DeepseekV3ForCausalLM"],
             "model_type": "deepseek_v3", "first_k_dense_replace": 1, "moe_layer_freq": 1, "n_routed_experts": 8,
             "n_shared_experts": 1, "num_experts_per_tok": 2, "num_hidden_layers": 3, "hidden_size": 64,
             "intermediate_size": 128, "moe_intermediate_size": 32, "num_attention_heads": 4,
             "num_key_value_heads": 4, "q_lora_rank": null, "kv_lora_rank": 16, "qk_nope_head_dim": 8,
             "qk_rope_head_dim": 4, "v_head_dim": 8, "vocab_size": 256, "tie_word_embeddings": false,
             "n_group": 2, "topk_group": 1, "norm_topk_prob": true, "routed_scaling_factor": 2.5,
             "scoring_func": "sigmoid", "topk_method": "noaux_tc"}""";

    /** {@code /v1/completions}: prompt 101 102 103, completion 201 202; 3 + 2 - 1 = 4 rows [4, 3, 2]. */
    public static final String VLLM_COMPLETION = "{\"id\":\"cmpl-1\",\"object\":\"text_completion\","
            + "\"created\":1780000000,\"model\":\"tiny-deepseek-v3\",\"choices\":[{\"index\":0,\"text\":\" a b\","
            + "\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null,\"prompt_logprobs\":null,"
            + "\"prompt_token_ids\":[101,102,103],\"token_ids\":[201,202],\"routed_experts\":\""
            + EngineWire.vllmNpy(new int[] {4, 3, 2},
                    0, 0, 1, 2, 3, 4,
                    0, 0, 5, 6, 7, 0,
                    0, 0, 2, 1, 4, 3,
                    0, 0, 6, 5, 0, 7)
            + "\"}],\"service_tier\":null,\"system_fingerprint\":null,\"usage\":{\"prompt_tokens\":3,"
            + "\"total_tokens\":5,\"completion_tokens\":2,\"prompt_tokens_details\":null},\"kv_transfer_params\":null}";

    /**
     * {@code /v1/chat/completions} of a request with {@code routed_experts_prompt_start} 1 (saved with the response):
     * prompt 111 112, completion 211 212 213. The prompt's rows from position 1 are in {@code prompt_routed_experts}
     * (2 - 1 = 1 row), the completion's in the choice (3 - 1 = 2 rows: positions 2 and 3).
     */
    public static final String VLLM_CHAT = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\","
            + "\"created\":1780000001,\"model\":\"tiny-deepseek-v3\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"x y z\",\"refusal\":null,\"annotations\":null,\"audio\":null,"
            + "\"function_call\":null,\"tool_calls\":[],\"reasoning\":null},\"logprobs\":null,"
            + "\"finish_reason\":\"stop\",\"stop_reason\":null,\"token_ids\":[211,212,213],\"routed_experts\":\""
            + EngineWire.vllmNpy(new int[] {2, 3, 2},
                    0, 0, 7, 2, 2, 7,
                    0, 0, 1, 3, 5, 4)
            + "\"}],\"service_tier\":null,\"system_fingerprint\":null,\"usage\":{\"prompt_tokens\":2,"
            + "\"total_tokens\":5,\"completion_tokens\":3,\"prompt_tokens_details\":null},\"prompt_logprobs\":null,"
            + "\"prompt_token_ids\":[111,112],\"prompt_routed_experts\":\""
            + EngineWire.vllmNpy(new int[] {1, 3, 2}, 0, 0, 3, 5, 6, 1)
            + "\",\"kv_transfer_params\":null,\"routed_experts_prompt_start\":1}";

    /** SGLang {@code /generate}, int32 (no dtype key): prompt 2, completion 301 302; 2 + 2 - 1 = 3 rows of 3 x 2. */
    public static final String SGLANG_GENERATE = sglang("sg-1", null,
            0, 0, 4, 1, 2, 6,
            0, 0, 3, 0, 1, 5,
            0, 0, 7, 6, 3, 2);

    /** The tokens the three responses hold, as {@code CollectingSink.describe} writes them (layer 0 dropped). */
    public static final java.util.List<String> TOKENS = java.util.List.of(
            "chatcmpl-2#1 PREFILL 1:[3, 5] 2:[6, 1]",
            "chatcmpl-2#2 DECODE 1:[7, 2] 2:[2, 7]",
            "chatcmpl-2#3 DECODE 1:[1, 3] 2:[5, 4]",
            "cmpl-1#0 PREFILL 1:[1, 2] 2:[3, 4]",
            "cmpl-1#1 PREFILL 1:[5, 6] 2:[7, 0]",
            "cmpl-1#2 PREFILL 1:[2, 1] 2:[4, 3]",
            "cmpl-1#3 DECODE 1:[6, 5] 2:[0, 7]",
            "sg-1#0 PREFILL 1:[4, 1] 2:[2, 6]",
            "sg-1#1 PREFILL 1:[3, 0] 2:[1, 5]",
            "sg-1#2 DECODE 1:[7, 6] 2:[3, 2]");

    private EngineFixtures() {
    }

    /** An SGLang {@code /generate} response of prompt 2 and completion 301 302 whose ids are sent as {@code dtype}. */
    public static String sglang(String id, String dtype, int... ids) {
        return "{\"text\":\" ok\",\"output_ids\":[301,302],\"meta_info\":{\"id\":\"" + id + "\","
                + "\"finish_reason\":{\"type\":\"length\",\"length\":2},\"prompt_tokens\":2,\"completion_tokens\":2,"
                + "\"cached_tokens\":0,\"e2e_latency\":0.05,"
                + (dtype == null ? "" : "\"routed_experts_dtype\":\"" + dtype + "\",")
                + "\"routed_experts\":\"" + EngineWire.sglang(dtype == null ? "int32" : dtype, ids) + "\"}}";
    }

    public static ModelConfig config() {
        try {
            return ModelConfig.of(new ObjectMapper().readTree(CONFIG), "tiny");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
