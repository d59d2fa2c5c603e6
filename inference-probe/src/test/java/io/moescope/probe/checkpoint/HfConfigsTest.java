package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.model.ParameterCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The released configs of OLMoE, Qwen1.5-MoE and Qwen3-MoE (abridged), read as HF writes them. */
class HfConfigsTest {

    /** allenai/OLMoE-1B-7B-0924 config.json. */
    static final String OLMOE = """
            {"architectures": ["OlmoeForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "clip_qkv": null, "eos_token_id": 50279, "hidden_act": "silu", "hidden_size": 2048,
             "intermediate_size": 1024, "max_position_embeddings": 4096, "model_type": "olmoe",
             "norm_topk_prob": false, "num_attention_heads": 16, "num_experts": 64, "num_experts_per_tok": 8,
             "num_hidden_layers": 16, "num_key_value_heads": 16, "pad_token_id": 1, "rms_norm_eps": 1e-05,
             "rope_scaling": null, "rope_theta": 10000.0, "tie_word_embeddings": false, "vocab_size": 50304}
            """;

    /** Qwen/Qwen1.5-MoE-A2.7B config.json. */
    static final String QWEN2_MOE = """
            {"architectures": ["Qwen2MoeForCausalLM"], "bos_token_id": 151643, "eos_token_id": 151643,
             "hidden_act": "silu", "hidden_size": 2048, "intermediate_size": 5632, "max_position_embeddings": 8192,
             "max_window_layers": 21, "model_type": "qwen2_moe", "num_attention_heads": 16,
             "num_hidden_layers": 24, "num_key_value_heads": 16, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
             "sliding_window": 32768, "tie_word_embeddings": false, "use_sliding_window": false,
             "vocab_size": 151936, "decoder_sparse_step": 1, "moe_intermediate_size": 1408,
             "shared_expert_intermediate_size": 5632, "num_experts_per_tok": 4, "num_experts": 60,
             "norm_topk_prob": false}
            """;

    /** Qwen/Qwen3-30B-A3B config.json. */
    static final String QWEN3_MOE = """
            {"architectures": ["Qwen3MoeForCausalLM"], "attention_bias": false, "bos_token_id": 151643,
             "decoder_sparse_step": 1, "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu",
             "hidden_size": 2048, "intermediate_size": 6144, "max_position_embeddings": 40960,
             "max_window_layers": 48, "mlp_only_layers": [], "model_type": "qwen3_moe",
             "moe_intermediate_size": 768, "norm_topk_prob": true, "num_attention_heads": 32, "num_experts": 128,
             "num_experts_per_tok": 8, "num_hidden_layers": 48, "num_key_value_heads": 4, "rms_norm_eps": 1e-06,
             "rope_scaling": null, "rope_theta": 1000000.0, "tie_word_embeddings": false, "vocab_size": 151936}
            """;

    @TempDir
    Path dir;

    @Test
    void readsOlmoe1b7bWithRawTopKWeightsAndItsPublishedParameterCounts() throws Exception {
        MoeConfig c = read(OLMOE);
        assertThat(c).isEqualTo(new MoeConfig("OlmoeForCausalLM", 2048, 1024, 16, 16, 16, 128, 64, 8, 50304, 1e-5,
                1e4, 4096, false, 1, 50279, 1024, 0, false, false, all(16)));
        // OLMoE paper: 6.9B total, 1.3B active.
        assertThat(counts().total()).isEqualTo(6_919_161_856L);
        assertThat(counts().active()).isEqualTo(1_282_017_280L);
    }

    @Test
    void readsQwen15MoeWithSharedExpertBiasesAndItsPublishedParameterCounts() throws Exception {
        MoeConfig c = read(QWEN2_MOE);
        assertThat(c).isEqualTo(new MoeConfig("Qwen2MoeForCausalLM", 2048, 1408, 24, 16, 16, 128, 60, 4, 151936,
                1e-6, 1e6, 8192, false, 151643, 151643, 5632, 5632, false, true, all(24)));
        // Qwen1.5-MoE-A2.7B: 14.3B total, 2.7B active.
        assertThat(counts().total()).isEqualTo(14_315_784_192L);
        assertThat(counts().active()).isEqualTo(2_689_173_504L);
    }

    @Test
    void readsQwen3MoeWithItsOwnHeadDimAndRenormalisedTopK() throws Exception {
        MoeConfig c = read(QWEN3_MOE);
        assertThat(c).isEqualTo(new MoeConfig("Qwen3MoeForCausalLM", 2048, 768, 48, 32, 4, 128, 128, 8, 151936,
                1e-6, 1e6, 40960, false, 151643, 151645, 6144, 0, true, false, all(48)));
    }

    @Test
    void decoderSparseStepAndMlpOnlyLayersLeaveDenseLayersOutOfTheMoeLayers() throws Exception {
        MoeConfig c = read(QWEN3_MOE.replace("\"decoder_sparse_step\": 1", "\"decoder_sparse_step\": 2")
                .replace("\"mlp_only_layers\": []", "\"mlp_only_layers\": [3, 47]"));
        assertThat(c.moeLayers()).hasSize(22).startsWith(1, 5, 7).endsWith(45).doesNotContain(0, 2, 3, 47);
    }

    @Test
    void aSettingTheProbeDoesNotImplementIsNamedNotIgnored() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, OLMOE.replace("\"clip_qkv\": null", "\"clip_qkv\": 8.0"));
        assertThatThrownBy(() -> new ConfigReader().read(file)).isInstanceOf(CheckpointException.class)
                .hasMessage(file + " sets \"clip_qkv\", which this probe does not implement; only null is supported");
    }

    @Test
    void aMissingQwenKeyIsNamed() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, QWEN2_MOE.replace("\"shared_expert_intermediate_size\": 5632,", ""));
        assertThatThrownBy(() -> new ConfigReader().read(file)).isInstanceOf(CheckpointException.class)
                .hasMessage(file + " lacks the integer key \"shared_expert_intermediate_size\"");
    }

    /** The parameter counts of the config {@link #read} wrote. */
    private ParameterCounts counts() {
        return ParameterCounts.of(ModelConfig.read(dir.resolve("config.json")));
    }

    private MoeConfig read(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return new ConfigReader().read(file);
    }

    private static List<Integer> all(int layers) {
        return IntStream.range(0, layers).boxed().toList();
    }
}
