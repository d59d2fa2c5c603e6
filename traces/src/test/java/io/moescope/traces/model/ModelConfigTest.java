package io.moescope.traces.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

    /** The router keys of deepseek-ai/DeepSeek-V3's config.json. */
    static final String DEEPSEEK_V3 = """
            {"architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3", "first_k_dense_replace": 3,
             "moe_layer_freq": 1, "n_group": 8, "n_routed_experts": 256, "n_shared_experts": 1,
             "norm_topk_prob": true, "num_experts_per_tok": 8, "num_hidden_layers": 61, "num_nextn_predict_layers": 1,
             "routed_scaling_factor": 2.5, "scoring_func": "sigmoid", "topk_group": 4, "topk_method": "noaux_tc"}""";

    /** The router keys of Qwen/Qwen1.5-MoE-A2.7B's config.json. */
    static final String QWEN15_MOE = """
            {"architectures": ["Qwen2MoeForCausalLM"], "model_type": "qwen2_moe", "decoder_sparse_step": 1,
             "num_experts": 60, "num_experts_per_tok": 4, "num_hidden_layers": 24, "norm_topk_prob": false,
             "shared_expert_intermediate_size": 5632}""";

    @TempDir
    Path dir;

    @Test
    void deepSeekV3HasItsFirstThreeLayersDenseAndRoutesOnTheOther58() {
        ModelConfig config = ModelConfig.of(json(DEEPSEEK_V3), "DeepSeek-V3");
        assertThat(config.moeLayers()).isEqualTo(IntStream.range(3, 61).boxed().toList());
        assertThat(config.numExperts()).isEqualTo(256);
        assertThat(config.topK()).isEqualTo(8);
        assertThat(config.numHiddenLayers()).isEqualTo(61);
    }

    @Test
    void moeLayerFrequencyKeepsEveryOtherLayerFromTheFirstSparseOne() {
        // vLLM's rule: layer >= first_k_dense_replace and layer % moe_layer_freq == 0 -> 2, 4 of 0..5.
        ModelConfig config = ModelConfig.of(json(DEEPSEEK_V3.replace("\"num_hidden_layers\": 61",
                "\"num_hidden_layers\": 6").replace("\"first_k_dense_replace\": 3", "\"first_k_dense_replace\": 1")
                .replace("\"moe_layer_freq\": 1", "\"moe_layer_freq\": 2")), "m");
        assertThat(config.moeLayers()).containsExactly(2, 4);
    }

    @Test
    void qwenMoeWithoutDenseKeysRoutesOnEveryLayer() {
        assertThat(ModelConfig.of(json(QWEN15_MOE), "q").moeLayers())
                .isEqualTo(IntStream.range(0, 24).boxed().toList());
    }

    @Test
    void qwenMoeDropsMlpOnlyLayersAndLayersOffTheSparseStep() {
        // (l + 1) % 2 == 0 -> 1, 3, 5, ..., 23; mlp_only_layers removes 3 and 23.
        ModelConfig config = ModelConfig.of(json(QWEN15_MOE.replace("\"decoder_sparse_step\": 1",
                "\"decoder_sparse_step\": 2, \"mlp_only_layers\": [3, 23]")), "q");
        assertThat(config.moeLayers()).containsExactly(1, 5, 7, 9, 11, 13, 15, 17, 19, 21);
    }

    @Test
    void readsTheFileAndNamesTheModelByItsFolderWithoutANameOrPath() throws IOException {
        Path file = Files.createDirectories(dir.resolve("Qwen1.5-MoE-A2.7B")).resolve("config.json");
        Files.writeString(file, QWEN15_MOE);
        assertThat(ModelConfig.read(file).name()).isEqualTo("Qwen1.5-MoE-A2.7B");
    }

    @Test
    void refusesAnArchitectureWhoseDenseLayersAreNotKnown() {
        assertThatThrownBy(() -> ModelConfig.of(json(QWEN15_MOE.replace("Qwen2MoeForCausalLM", "JambaForCausalLM")),
                "j")).hasMessage("which layers of JambaForCausalLM have a router is not known; known architectures: "
                + String.join(", ", MoeLayers.architectures()));
    }

    @Test
    void refusesAnMlpOnlyLayerOutsideTheModelNamingTheBound() {
        assertThatThrownBy(() -> ModelConfig.of(json(QWEN15_MOE.replace("\"decoder_sparse_step\": 1",
                "\"mlp_only_layers\": [24]")), "q")).hasMessage(
                "\"mlp_only_layers\" holds layer 24, outside 0..23 (num_hidden_layers 24)");
    }

    @Test
    void refusesAFileWithoutTheTopKNamingFileAndKey() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), QWEN15_MOE.replace("\"num_experts_per_tok\": 4,",
                ""));
        assertThatThrownBy(() -> ModelConfig.read(file)).hasMessage(file + ": \"num_experts_per_tok\" must be a "
                + "positive integer but is missing");
    }

    @Test
    void sparseStepIsHuggingFacesQwenRule() {
        assertThat(MoeLayers.sparseStep(4, 2, List.of())).containsExactly(1, 3);
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
