package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

    /** The config.json of mistralai/Mixtral-8x7B-v0.1, abridged to the keys the probe reads plus a few it ignores. */
    static final String MIXTRAL = """
            {
              "architectures": ["MixtralForCausalLM"],
              "attention_dropout": 0.0,
              "bos_token_id": 1,
              "eos_token_id": 2,
              "hidden_act": "silu",
              "hidden_size": 4096,
              "initializer_range": 0.02,
              "intermediate_size": 14336,
              "max_position_embeddings": 32768,
              "model_type": "mixtral",
              "num_attention_heads": 32,
              "num_experts_per_tok": 2,
              "num_hidden_layers": 32,
              "num_key_value_heads": 8,
              "num_local_experts": 8,
              "output_router_logits": false,
              "rms_norm_eps": 1e-05,
              "rope_theta": 1000000.0,
              "router_aux_loss_coef": 0.02,
              "sliding_window": null,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "vocab_size": 32000
            }
            """;

    @TempDir
    Path dir;

    @Test
    void readsMixtral8x7bsConfigWithHeadDimDerivedFromHiddenSize() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, MIXTRAL);
        assertThat(new ConfigReader().read(file)).isEqualTo(new MoeConfig("MixtralForCausalLM", 4096, 14336, 32, 32,
                8, 128, 8, 2, 32000, 1e-5, 1e6, 32768, false, 1, 2));
    }

    @Test
    void writtenConfigsReadBackEqual() throws Exception {
        var config = new MoeConfig("MixtralForCausalLM", 64, 128, 4, 4, 2, 16, 8, 2, 259, 1e-5, 1e6, 4096, true, 1, 2);
        Path file = dir.resolve("config.json");
        new ConfigReader().write(config, file);
        assertThat(new ConfigReader().read(file)).isEqualTo(config);
    }

    @Test
    void aListOfEosIdsStopsOnTheFirst() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, MIXTRAL.replace("\"eos_token_id\": 2", "\"eos_token_id\": [7, 2]"));
        assertThat(new ConfigReader().read(file).eosTokenId()).isEqualTo(7);
    }

    @Test
    void aMissingRequiredKeyIsNamed() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, MIXTRAL.replace("\"num_local_experts\": 8,", ""));
        assertThatThrownBy(() -> new ConfigReader().read(file)).isInstanceOf(CheckpointException.class)
                .hasMessage(file + " lacks the integer key \"num_local_experts\"");
    }

    @Test
    void topKAboveTheExpertCountIsRejectedWithTheKeys() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, MIXTRAL.replace("\"num_experts_per_tok\": 2", "\"num_experts_per_tok\": 9"));
        assertThatThrownBy(() -> new ConfigReader().read(file)).isInstanceOf(CheckpointException.class)
                .hasMessage("invalid " + file + ": num_experts_per_tok must be between 1 and num_local_experts (8)"
                        + " but is 9");
    }
}
