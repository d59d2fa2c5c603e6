package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gpt-oss's config.json as released (openai/gpt-oss-20b) and as transformers 5 saves it. */
class GptOssConfigTest {

    private static final String LAYER_TYPES = String.join(", ", Collections.nCopies(12,
            "\"sliding_attention\", \"full_attention\""));

    /** openai/gpt-oss-20b's config.json. */
    static final String RELEASED = """
            {"architectures": ["GptOssForCausalLM"], "attention_bias": true, "attention_dropout": 0.0,
             "eos_token_id": 200002, "experts_per_token": 4, "head_dim": 64, "hidden_act": "silu",
             "hidden_size": 2880, "initial_context_length": 4096, "initializer_range": 0.02,
             "intermediate_size": 2880, "layer_types": [%s], "max_position_embeddings": 131072,
             "model_type": "gpt_oss", "num_attention_heads": 64, "num_experts_per_tok": 4, "num_hidden_layers": 24,
             "num_key_value_heads": 8, "num_local_experts": 32, "output_router_logits": false,
             "pad_token_id": 199999,
             "quantization_config": {"modules_to_not_convert": ["model.layers.*.self_attn",
               "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], "quant_method": "mxfp4"},
             "rms_norm_eps": 1e-05,
             "rope_scaling": {"beta_fast": 32.0, "beta_slow": 1.0, "factor": 32.0,
               "original_max_position_embeddings": 4096, "rope_type": "yarn", "truncate": false},
             "rope_theta": 150000, "router_aux_loss_coef": 0.9, "sliding_window": 128, "swiglu_limit": 7.0,
             "tie_word_embeddings": false, "transformers_version": "4.55.0.dev0", "use_cache": true,
             "vocab_size": 201088}
            """.formatted(LAYER_TYPES);

    @TempDir
    Path dir;

    @Test
    void theReleasedGptOss20bConfigIsReadWithYarnWindowsAndMxfp4Experts() throws Exception {
        List<Integer> all = IntStream.range(0, 24).boxed().toList();
        List<Integer> even = IntStream.range(0, 12).map(i -> 2 * i).boxed().toList();
        assertThat(read(RELEASED)).isEqualTo(new MoeConfig("GptOssForCausalLM", 2880, 2880, 24, 64, 8, 64, 32, 4,
                201088, 1e-5, 150000, 131072, false, 1, 200002, 2880, 0, false, true, all,
                RopeScaling.yarn(32, 4096, 32, 1, false), new SlidingWindow(128, even),
                new GptOssExperts(1.702, 7.0, true)));
    }

    @Test
    void theTransformers5FormReadsRopeParametersAndDequantisedExperts() throws Exception {
        String t5 = RELEASED.replace("\"experts_per_token\": 4, ", "")
                .replaceAll("\"quantization_config\": \\{[^}]*\\},", "")
                .replace("\"rope_scaling\": {", "\"rope_parameters\": {\"rope_theta\": 150000.0, ")
                .replace("\"rope_theta\": 150000, ", "\"swiglu_alpha\": 1.702, \"dtype\": \"bfloat16\", ");
        MoeConfig c = read(t5);
        assertThat(c.gptOssExperts()).isEqualTo(new GptOssExperts(1.702, 7.0, false));
        assertThat(c.ropeScaling()).isEqualTo(RopeScaling.yarn(32, 4096, 32, 1, false));
        assertThat(c.ropeTheta()).isEqualTo(150000);
    }

    @Test
    void withoutRopeParametersGptOssTakesItsConfigClassDefaultYarn() throws Exception {
        MoeConfig c = read(RELEASED.replaceAll("\"rope_scaling\": \\{[^}]*\\},", ""));
        assertThat(c.ropeScaling()).isEqualTo(RopeScaling.gptOssDefault());
    }

    @Test
    void anUnimplementedRopeTypeIsRefusedByName() throws Exception {
        assertRefused(RELEASED.replace("\"rope_type\": \"yarn\"", "\"rope_type\": \"llama3\""),
                " sets \"rope_scaling\".rope_type to \"llama3\", which this probe does not implement;"
                        + " supported: \"default\", \"yarn\"");
    }

    @Test
    void twoExpertsPerTokenThatDisagreeAreRefused() throws Exception {
        assertRefused(RELEASED.replace("\"experts_per_token\": 4", "\"experts_per_token\": 2"),
                " sets \"num_experts_per_tok\" to 4 and \"experts_per_token\" to 2, two spellings of one setting"
                        + " that disagree");
    }

    @Test
    void anotherQuantizationMethodIsRefusedByName() throws Exception {
        assertRefused(RELEASED.replace("\"quant_method\": \"mxfp4\"", "\"quant_method\": \"fp8\""),
                " sets \"quantization_config\".quant_method to \"fp8\", which this probe does not implement;"
                        + " supported: \"mxfp4\"");
    }

    @Test
    void mxfp4ExpertsNeedWidthsInWholeBlocksOf32() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, RELEASED.replace("\"intermediate_size\": 2880", "\"intermediate_size\": 2888"));
        assertThatThrownBy(() -> new ConfigReader().read(file)).isInstanceOf(CheckpointException.class)
                .hasMessage("invalid " + file + ": MXFP4 experts need hidden_size and intermediate_size in whole"
                        + " blocks of 32 but they are 2880 and 2888");
    }

    @Test
    void anUnknownLayerTypeIsRefusedByName() throws Exception {
        assertRefused(RELEASED.replaceFirst("\"full_attention\"", "\"chunked_attention\""),
                ": \"layer_types\" holds \"chunked_attention\", which this probe does not implement; supported:"
                        + " \"full_attention\", \"sliding_attention\"");
    }

    @Test
    void aKeyGptOssDoesNotReadIsRefusedByName() throws Exception {
        assertRefused(RELEASED.replace("\"use_cache\": true", "\"use_cache\": true, \"norm_topk_prob\": true"),
                " has the key \"norm_topk_prob\", which GptOssForCausalLM in this probe neither implements nor knows"
                        + " to leave the forward pass unchanged; refusing rather than ignoring it");
    }

    private void assertRefused(String json, String message) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        assertThatThrownBy(() -> new ConfigReader().read(file)).isInstanceOf(CheckpointException.class)
                .hasMessage(file + message);
    }

    private MoeConfig read(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return new ConfigReader().read(file);
    }
}
