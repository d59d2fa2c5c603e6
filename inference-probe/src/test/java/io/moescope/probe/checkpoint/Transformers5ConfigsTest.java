package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs as transformers 5's {@code save_pretrained} writes them ({@code rope_parameters}, {@code dtype}, the
 * expert count under the name of the class's {@code attribute_map}), and the settings the probe refuses by name.
 */
class Transformers5ConfigsTest {

    /** Qwen/Qwen3-30B-A3B loaded and saved again by transformers 5. */
    static final String QWEN3_MOE = """
            {"architectures": ["Qwen3MoeForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 151643, "decoder_sparse_step": 1, "dtype": "bfloat16", "eos_token_id": 151645,
             "head_dim": 128, "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02,
             "intermediate_size": 6144, "max_position_embeddings": 40960, "mlp_only_layers": [],
             "model_type": "qwen3_moe", "moe_intermediate_size": 768, "norm_topk_prob": true,
             "num_attention_heads": 32, "num_experts_per_tok": 8, "num_hidden_layers": 48, "num_key_value_heads": 4,
             "num_local_experts": 128, "output_router_logits": false, "pad_token_id": null, "rms_norm_eps": 1e-06,
             "rope_parameters": {"rope_theta": 1000000.0, "rope_type": "default"}, "router_aux_loss_coef": 0.001,
             "sliding_window": null, "tie_word_embeddings": false, "transformers_version": "5.0.0",
             "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}
            """;

    /** Qwen/Qwen1.5-MoE-A2.7B saved by transformers 5: qkv_bias and the layer types are written out. */
    static final String QWEN2_MOE = """
            {"architectures": ["Qwen2MoeForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
             "decoder_sparse_step": 1, "dtype": "bfloat16", "eos_token_id": 151643, "hidden_act": "silu",
             "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 5632,
             "layer_types": ["full_attention", "full_attention"], "max_position_embeddings": 8192,
             "max_window_layers": 21, "mlp_only_layers": [], "model_type": "qwen2_moe", "moe_intermediate_size": 1408,
             "norm_topk_prob": false, "num_attention_heads": 16, "num_experts": 60, "num_experts_per_tok": 4,
             "num_hidden_layers": 2, "num_key_value_heads": 16, "output_router_logits": false, "pad_token_id": null,
             "qkv_bias": true, "rms_norm_eps": 1e-06, "rope_parameters": {"rope_theta": 1000000.0,
             "rope_type": "default"}, "router_aux_loss_coef": 0.001, "shared_expert_intermediate_size": 5632,
             "sliding_window": 0, "tie_word_embeddings": false, "transformers_version": "5.0.0", "use_cache": true,
             "use_sliding_window": false, "vocab_size": 151936}
            """;

    @TempDir
    Path dir;

    @Test
    void qwen3MoeSavedByTransformers5ReadsItsRopeThetaAndItsExpertCountFromNumLocalExperts() throws Exception {
        assertThat(read(QWEN3_MOE)).isEqualTo(new MoeConfig("Qwen3MoeForCausalLM", 2048, 768, 48, 32, 4, 128, 128, 8,
                151936, 1e-6, 1e6, 40960, false, 151643, 151645, 6144, 0, true, false, all(48)));
    }

    @Test
    void qwen3MoeReadsTheSameFromBothLayouts() throws Exception {
        MoeConfig saved = read(QWEN3_MOE);
        assertThat(read(HfConfigsTest.QWEN3_MOE)).isEqualTo(saved);
    }

    @Test
    void qwen2MoeSavedByTransformers5TakesItsQkvBiasFromTheConfig() throws Exception {
        assertThat(read(QWEN2_MOE).attentionBias()).isTrue();
        assertThat(read(QWEN2_MOE.replace("\"qkv_bias\": true", "\"qkv_bias\": false")).attentionBias()).isFalse();
        assertThat(read(QWEN2_MOE).ropeTheta()).isEqualTo(1e6);
    }

    @Test
    void theOutputProjectionBiasFollowsAttentionBiasInQwen3MoeButNeverInQwen2Moe() throws Exception {
        assertThat(read(QWEN3_MOE.replace("\"attention_bias\": false", "\"attention_bias\": true")).outputBias())
                .isTrue();
        assertThat(read(QWEN2_MOE).outputBias()).isFalse();
    }

    @Test
    void aRopeParametersDictionaryWithoutThetaFallsBackToTheTopLevelRopeTheta() throws Exception {
        MoeConfig c = read(QWEN3_MOE.replace("{\"rope_theta\": 1000000.0, \"rope_type\": \"default\"}",
                "{\"rope_type\": \"default\"}, \"rope_theta\": 500000.0"));
        assertThat(c.ropeTheta()).isEqualTo(5e5);
    }

    @Test
    void withoutAnyRopeKeyTheConfigClassDefaultApplies() throws Exception {
        MoeConfig c = read(QWEN3_MOE.replace(
                "\"rope_parameters\": {\"rope_theta\": 1000000.0, \"rope_type\": \"default\"}, ", ""));
        assertThat(c.ropeTheta()).isEqualTo(1e4);
    }

    /** YaRN is implemented for every architecture (Qwen3's long-context recipe is YaRN over 32768 positions). */
    @Test
    void aYarnRopeTypeIsReadForAnyArchitecture() throws Exception {
        MoeConfig c = read(QWEN3_MOE.replace("\"rope_type\": \"default\"",
                "\"rope_type\": \"yarn\", \"factor\": 4.0, \"original_max_position_embeddings\": 32768"));
        assertThat(c.ropeScaling()).isEqualTo(new RopeScaling(RopeScaling.Type.YARN, 4.0, 32768, 32, 1, true,
                Double.NaN, 0, 0));
    }

    @Test
    void anUnimplementedRopeTypeIsRefusedByName() throws Exception {
        assertRefused(QWEN3_MOE.replace("\"rope_type\": \"default\"",
                        "\"rope_type\": \"longrope\", \"factor\": 4.0"),
                " sets \"rope_parameters\".rope_type to \"longrope\", which this probe does not implement;"
                        + " supported: \"default\", \"yarn\"");
    }

    @Test
    void aParameterYarnDoesNotReadIsRefusedByName() throws Exception {
        assertRefused(QWEN3_MOE.replace("\"rope_type\": \"default\"",
                        "\"rope_type\": \"yarn\", \"factor\": 4.0, \"low_freq_factor\": 1.0"),
                " sets \"rope_parameters\".low_freq_factor, which this probe does not implement with rope_type"
                        + " \"yarn\"");
    }

    @Test
    void aLegacyRopeScalingTypeIsRefusedByName() throws Exception {
        assertRefused(HfConfigsTest.OLMOE.replace("\"rope_scaling\": null",
                        "\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}"),
                " sets \"rope_scaling\".type to \"linear\", which this probe does not implement;"
                        + " supported: \"default\", \"yarn\"");
    }

    @Test
    void aParameterPlainRopeDoesNotHaveIsRefusedByName() throws Exception {
        assertRefused(QWEN3_MOE.replace("\"rope_type\": \"default\"", "\"rope_type\": \"default\", \"factor\": 2.0"),
                " sets \"rope_parameters\".factor, which this probe does not implement with rope_type \"default\"");
    }

    @Test
    void aPartialRotaryFactorIsRefusedByName() throws Exception {
        assertRefused(QWEN3_MOE.replace("\"rope_type\": \"default\"",
                        "\"rope_type\": \"default\", \"partial_rotary_factor\": 0.5"),
                " sets \"rope_parameters\".partial_rotary_factor to 0.5, which this probe does not implement;"
                        + " only 1.0 (the whole head rotates) is supported");
    }

    @Test
    void twoRopeThetasThatDisagreeAreRefused() throws Exception {
        assertRefused(QWEN3_MOE.replace("\"rope_type\": \"default\"}", "\"rope_type\": \"default\"},"
                        + " \"rope_theta\": 10000.0"),
                " sets \"rope_theta\" to 10000.0 and \"rope_parameters\".rope_theta to 1000000.0;"
                        + " which one the model was trained with is unclear");
    }

    @Test
    void bothSpellingsOfTheExpertCountAreAcceptedWhenTheyAgreeAndRefusedWhenNot() throws Exception {
        assertThat(read(QWEN3_MOE.replace("\"num_local_experts\": 128,",
                "\"num_local_experts\": 128, \"num_experts\": 128,")).numExperts()).isEqualTo(128);
        assertRefused(QWEN3_MOE.replace("\"num_local_experts\": 128,",
                        "\"num_local_experts\": 128, \"num_experts\": 64,"),
                " sets \"num_experts\" to 64 and \"num_local_experts\" to 128, two spellings of one setting that"
                        + " disagree");
    }

    @Test
    void olmoeAndMixtralAcceptTheOtherSpellingOfTheExpertCountAsTheirAttributeMapDoes() throws Exception {
        assertThat(read(HfConfigsTest.OLMOE.replace("\"num_experts\"", "\"num_local_experts\"")).numExperts())
                .isEqualTo(64);
        assertThat(read(ConfigReaderTest.MIXTRAL.replace("\"num_local_experts\"", "\"num_experts\"")).numExperts())
                .isEqualTo(8);
    }

    @Test
    void qwen2MoeHasNoAliasSoNumLocalExpertsIsAnUnknownKey() throws Exception {
        assertRefused(QWEN2_MOE.replace("\"num_experts\": 60", "\"num_local_experts\": 60"),
                " has the key \"num_local_experts\", which Qwen2MoeForCausalLM in this probe neither implements nor"
                        + " knows to leave the forward pass unchanged; refusing rather than ignoring it");
    }

    @Test
    void aKeyTheProbeDoesNotKnowIsRefusedByName() throws Exception {
        assertRefused(QWEN3_MOE.replace("\"use_cache\": true", "\"use_cache\": true, \"quantization_config\":"
                        + " {\"quant_method\": \"fp8\"}"),
                " has the key \"quantization_config\", which Qwen3MoeForCausalLM in this probe neither implements"
                        + " nor knows to leave the forward pass unchanged; refusing rather than ignoring it");
    }

    @Test
    void anActivationOtherThanSiluIsRefusedByName() throws Exception {
        assertRefused(QWEN3_MOE.replace("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\""),
                " sets \"hidden_act\" to \"gelu\", which this probe does not implement; only \"silu\" is supported");
    }

    @Test
    void aSlidingWindowShorterThanTheLongestSequenceIsRefusedByName() throws Exception {
        assertRefused(QWEN3_MOE.replace("\"sliding_window\": null", "\"sliding_window\": 4096")
                        .replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"),
                " sets \"sliding_window\" to 4096 (switched on by \"use_sliding_window\"), which this probe does not"
                        + " implement: attention over a window shorter than max_position_embeddings (40960) is not"
                        + " supported");
    }

    @Test
    void aSlidingWindowAsLongAsTheLongestSequenceNeverDropsATokenAndIsAccepted() throws Exception {
        MoeConfig c = read(QWEN3_MOE.replace("\"sliding_window\": null", "\"sliding_window\": 40960")
                .replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"));
        assertThat(c.maxPositionEmbeddings()).isEqualTo(40960);
    }

    @Test
    void aMixtralSlidingWindowIsRefusedByName() throws Exception {
        assertRefused(ConfigReaderTest.MIXTRAL.replace("\"sliding_window\": null", "\"sliding_window\": 4096"),
                " sets \"sliding_window\" to 4096 (switched on by \"sliding_window\"), which this probe does not"
                        + " implement: attention over a window shorter than max_position_embeddings (32768) is not"
                        + " supported");
    }

    @Test
    void qwen2MoeSlidingLayerTypesAreRefusedByName() throws Exception {
        assertRefused(QWEN2_MOE.replace("[\"full_attention\", \"full_attention\"]",
                        "[\"sliding_attention\", \"full_attention\"]")
                        .replace("\"sliding_window\": 0", "\"sliding_window\": 4096")
                        .replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"),
                " sets \"sliding_window\" to 4096 (switched on by \"layer_types\"), which this probe does not"
                        + " implement: attention over a window shorter than max_position_embeddings (8192) is not"
                        + " supported");
    }

    @Test
    void writtenTransformers5ConfigsReadBackEqual() throws Exception {
        MoeConfig config = read(QWEN3_MOE.replace("\"attention_bias\": false", "\"attention_bias\": true"));
        Path file = dir.resolve("written.json");
        new ConfigWriter(ConfigWriter.Layout.TRANSFORMERS_5).write(config, file);
        JsonNode written = new ObjectMapper().readTree(file.toFile());
        assertThat(written.has("rope_theta")).isFalse();
        assertThat(written.path("rope_parameters").path("rope_theta").asDouble()).isEqualTo(1e6);
        assertThat(written.path("num_local_experts").asInt()).isEqualTo(128);
        assertThat(written.has("num_experts")).isFalse();
        assertThat(new ConfigReader().read(file)).isEqualTo(config);
    }

    private void assertRefused(String json, String message) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        assertThatThrownBy(() -> new ConfigReader().read(file)).isInstanceOf(CheckpointException.class)
                .hasMessage(file + message);
    }

    /** Qwen3MoeConfig (like Qwen2-MoE's and DeepSeek's) defaults rms_norm_eps to 1e-6; Mixtral's is 1e-5. */
    @Test
    void aMissingRmsNormEpsIsTheConfigClassDefault() throws Exception {
        assertThat(read(QWEN3_MOE.replace(" \"rms_norm_eps\": 1e-06,", "")).rmsNormEps()).isEqualTo(1e-6);
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
