package io.moescope.tap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.traces.engine.EngineWire;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.model.ReleasedConfigs;
import java.io.IOException;

/**
 * Larger engine responses than {@code EngineFixtures}' for the tap's tests: a DeepSeek-V3-shaped model (61 hidden
 * layers, the first 3 dense, 256 routed experts, top-8) answering a vLLM {@code /v1/completions} request with its
 * routed experts as vLLM's server writes them (base64 of an {@code np.save} int32 array), dense layers as zero rows.
 */
public final class TapFixtures {

    public static final int LAYERS = 61;
    public static final int DENSE = 3;
    public static final int EXPERTS = 256;
    public static final int TOP_K = 8;

    private TapFixtures() {
    }

    public static ModelConfig deepseekV3() {
        try {
            return ModelConfig.of(new ObjectMapper().readTree(ReleasedConfigs.DEEPSEEK_V3), "DeepSeek-V3");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The expert in {@code slot} at MoE layer {@code layer} for position {@code row}: distinct across the 8 slots
     * (31 x slot stays below 256), varying with the row and the layer.
     */
    public static int expert(int row, int layer, int slot) {
        return (row * 7 + layer * 13 + slot * 31) % EXPERTS;
    }

    /**
     * A {@code /v1/completions} response of {@code prompt} prompt tokens and {@code completion} generated ones:
     * {@code prompt + completion - 1} rows of {@link #expert}, zeros at the dense layers.
     */
    public static String vllmCompletion(String id, int prompt, int completion) {
        int rows = prompt + completion - 1;
        int[] ids = new int[rows * LAYERS * TOP_K];
        for (int row = 0; row < rows; row++) {
            for (int layer = DENSE; layer < LAYERS; layer++) {
                for (int slot = 0; slot < TOP_K; slot++) {
                    ids[(row * LAYERS + layer) * TOP_K + slot] = expert(row, layer, slot);
                }
            }
        }
        return "{\"id\":\"" + id + "\",\"object\":\"text_completion\",\"created\":1780000000,"
                + "\"model\":\"deepseek-ai/DeepSeek-V3\",\"choices\":[{\"index\":0,\"text\":\" ...\","
                + "\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null,\"prompt_logprobs\":null,"
                + "\"routed_experts\":\"" + EngineWire.vllmNpy(new int[] {rows, LAYERS, TOP_K}, ids) + "\"}],"
                + "\"service_tier\":null,\"system_fingerprint\":null,\"usage\":{\"prompt_tokens\":" + prompt + ","
                + "\"total_tokens\":" + (prompt + completion) + ",\"completion_tokens\":" + completion + ","
                + "\"prompt_tokens_details\":null},\"kv_transfer_params\":null}";
    }
}
