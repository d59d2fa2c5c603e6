package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.probe.reference.DeepseekCheckpoints;
import io.moescope.probe.reference.DeepseekCheckpoints.Tensor;
import io.moescope.traces.model.ReleasedConfigs;
import io.moescope.traces.routing.GroupLimitedRouting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeepSeek's config keys as released and as transformers 5 saves them: read, or refused by name. */
class DeepseekConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theReleasedV3KeysGiveLatentAttentionTheGroupedSigmoidRouterAndFp8Blocks() throws Exception {
        var spec = DeepseekCheckpoints.v3();
        MoeConfig c = read(DeepseekCheckpoints.releasedConfig(spec));
        DeepseekConfig d = c.deepseek();
        assertThat(d.qLoraRank()).isEqualTo(136);
        assertThat(d.kvLoraRank()).isEqualTo(132);
        assertThat(d.qkHeadDim()).isEqualTo(24);
        assertThat(d.ropeInterleave()).isTrue();
        assertThat(c.ropeScaling()).isEqualTo(RopeScaling.NONE);
        assertThat(d.nextnLayers()).isEqualTo(1);
        assertThat(d.weightBlocks()).isEqualTo(BlockScales.DEEPSEEK_V3);
        assertThat(d.router()).isEqualTo(new GroupLimitedRouting(8, 2, GroupLimitedRouting.Scoring.SIGMOID,
                GroupLimitedRouting.Method.NOAUX_TC, 2, 1, true, 2.5));
        assertThat(c.headDim()).isEqualTo(8);
        assertThat(c.sharedExpertSize()).isEqualTo(24);
        assertThat(c.moeLayers()).containsExactly(1, 2);
        assertThat(read(DeepseekCheckpoints.transformers5Config(spec))).isEqualTo(c);
    }

    @Test
    void theReleasedV2LiteKeysGiveOneQueryProjectionAndTheSoftmaxGreedyRouter() throws Exception {
        var spec = DeepseekCheckpoints.v2Lite();
        MoeConfig c = read(DeepseekCheckpoints.releasedConfig(spec));
        assertThat(c.deepseek().qLoraRank()).isNull();
        assertThat(c.deepseek().weightBlocks()).isNull();
        assertThat(c.deepseek().router()).isEqualTo(new GroupLimitedRouting(8, 2,
                GroupLimitedRouting.Scoring.SOFTMAX, GroupLimitedRouting.Method.GREEDY, 1, 1, false, 1.0));
        assertThat(c.sharedExpertSize()).isEqualTo(24);
        assertThat(read(DeepseekCheckpoints.transformers5Config(spec))).isEqualTo(c);
    }

    /**
     * The released files key for key (traces' {@link ReleasedConfigs}), their YaRN rope_scaling included: factor 40
     * over 4096 positions, beta 32 / 1, floor and ceil (no truncate key), and V3's mscale 1 / 1 or V2's 0.707 / 0.707.
     */
    @Test
    void theReleasedDeepseekConfigsAreReadWithTheirYarnRope() throws Exception {
        for (String released : List.of(ReleasedConfigs.DEEPSEEK_V3, ReleasedConfigs.DEEPSEEK_V2,
                ReleasedConfigs.DEEPSEEK_V2_LITE)) {
            JsonNode file = JSON.readTree(released);
            JsonNode yarn = file.get("rope_scaling");
            MoeConfig c = read((ObjectNode) file);
            assertThat(c.ropeScaling()).isEqualTo(new RopeScaling(RopeScaling.Type.YARN, 40, 4096, 32, 1, true,
                    Double.NaN, yarn.get("mscale").asDouble(), yarn.get("mscale_all_dim").asDouble()));
            assertThat(c.headDim()).isEqualTo(64);
            assertThat(c.deepseek().qkHeadDim()).isEqualTo(192);
        }
        MoeConfig c = read((ObjectNode) JSON.readTree(ReleasedConfigs.DEEPSEEK_V3));
        assertThat(c.ropeScaling().mscale()).isEqualTo(1.0);
        assertThat(c.numExperts()).isEqualTo(256);
        assertThat(c.sharedExpertSize()).isEqualTo(2048);
        assertThat(c.moeLayers()).hasSize(58).startsWith(3);
        assertThat(c.deepseek().nextnLayers()).isEqualTo(1);
        assertThat(c.deepseek().router()).isEqualTo(new GroupLimitedRouting(256, 8,
                GroupLimitedRouting.Scoring.SIGMOID, GroupLimitedRouting.Method.NOAUX_TC, 8, 4, true, 2.5));
        assertThat(read((ObjectNode) JSON.readTree(ReleasedConfigs.DEEPSEEK_V2_LITE)).ropeScaling().mscaleAllDim())
                .isEqualTo(0.707);
    }

    @Test
    void unknownTopkMethodAndScoringFuncAreRefusedByName() throws Exception {
        ObjectNode method = DeepseekCheckpoints.releasedConfig(DeepseekCheckpoints.v3()).put("topk_method", "aux_tc");
        assertThatThrownBy(() -> read(method)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("\"topk_method\" is \"aux_tc\"").hasMessageContaining("noaux_tc");
        ObjectNode scoring = DeepseekCheckpoints.releasedConfig(DeepseekCheckpoints.v2Lite())
                .put("scoring_func", "sqrtsoftplus");
        assertThatThrownBy(() -> read(scoring)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("\"scoring_func\" is \"sqrtsoftplus\"");
    }

    @Test
    void valuesThatChangeTheMathsUnimplementedAreRefusedByName() throws Exception {
        var v3 = DeepseekCheckpoints.v3();
        assertThatThrownBy(() -> read(DeepseekCheckpoints.transformers5Config(DeepseekCheckpoints.v2Lite())
                .put("mlp_bias", "yes"))).hasMessageContaining("\"mlp_bias\" must be true or false");
        // V3's MLPs have no biases and its config class no such key
        assertThatThrownBy(() -> read(DeepseekCheckpoints.transformers5Config(v3).put("mlp_bias", false)))
                .hasMessageContaining("\"mlp_bias\"");
        assertThatThrownBy(() -> read(DeepseekCheckpoints.releasedConfig(v3).put("num_key_value_heads", 1)))
                .hasMessageContaining("\"num_key_value_heads\"");
        assertThatThrownBy(() -> read(DeepseekCheckpoints.transformers5Config(v3).put("qk_head_dim", 32)))
                .hasMessageContaining("\"qk_head_dim\" to 32");
        ObjectNode fmt = DeepseekCheckpoints.releasedConfig(v3);
        ((ObjectNode) fmt.get("quantization_config")).put("fmt", "e5m2");
        assertThatThrownBy(() -> read(fmt)).hasMessageContaining("\"quantization_config\".fmt");
        ObjectNode linear = DeepseekCheckpoints.releasedConfig(v3);
        linear.putObject("rope_scaling").put("type", "linear").put("factor", 40);
        assertThatThrownBy(() -> read(linear)).hasMessageContaining("\"rope_scaling\".type")
                .hasMessageContaining("linear");
        assertThatThrownBy(() -> read(DeepseekCheckpoints.releasedConfig(DeepseekCheckpoints.v2Lite())
                .put("rope_interleave", false))).hasMessageContaining("\"rope_interleave\"");
        assertThatThrownBy(() -> read(DeepseekCheckpoints.releasedConfig(v3).put("norm_topk_prob", "yes")))
                .hasMessageContaining("\"norm_topk_prob\"");
    }

    /** transformers ignores moe_layer_freq (all layers from first_k_dense_replace are MoE); DeepSeek's code not. */
    @Test
    void aMoeLayerFrequencyOtherThanOneIsRefusedWhereTheReferencesDisagree() throws Exception {
        assertThatThrownBy(() -> read(DeepseekCheckpoints.releasedConfig(DeepseekCheckpoints.v3())
                .put("moe_layer_freq", 2))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("sets \"moe_layer_freq\" to 2").hasMessageContaining("supports only 1");
    }

    /** Their defaults differ between V2 and V3 (and q_lora_rank's null means something else than absent). */
    @Test
    void aMissingQLoraRankSharedExpertCountOrDenseLayerCountIsRefusedByName() throws Exception {
        ObjectNode noQLora = DeepseekCheckpoints.releasedConfig(DeepseekCheckpoints.v2Lite());
        noQLora.remove("q_lora_rank");
        assertThatThrownBy(() -> read(noQLora)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("lacks \"q_lora_rank\" (an integer, or null for one q_proj)");
        ObjectNode noShared = DeepseekCheckpoints.transformers5Config(DeepseekCheckpoints.v3());
        noShared.remove("n_shared_experts");
        assertThatThrownBy(() -> read(noShared)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("lacks \"n_shared_experts\"");
        ObjectNode noDense = DeepseekCheckpoints.releasedConfig(DeepseekCheckpoints.v3());
        noDense.remove("first_k_dense_replace");
        assertThatThrownBy(() -> read(noDense)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("lacks \"first_k_dense_replace\"");
    }

    /** DeepseekV2Config and DeepseekV3Config default rms_norm_eps to 1e-6, not the 1e-5 of Mixtral's. */
    @Test
    void aMissingRmsNormEpsIsTheConfigClassDefault() throws Exception {
        ObjectNode config = DeepseekCheckpoints.releasedConfig(DeepseekCheckpoints.v3());
        config.remove("rms_norm_eps");
        assertThat(read(config).rmsNormEps()).isEqualTo(1e-6);
    }

    @Test
    void anUnusedTensorIsRefusedByName() throws Exception {
        var spec = DeepseekCheckpoints.v2Lite();
        DeepseekCheckpoints.write(dir, spec, DeepseekCheckpoints.releasedConfig(spec), Map.of(
                "model.layers.1.self_attn.q_a_proj.weight",
                new Tensor(DType.BF16, new long[] {4, 32}, new float[128])));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage("model.layers.1.self_attn.q_a_proj.weight is in the checkpoint but not used by"
                        + " DeepseekV2ForCausalLM with this config.json (" + dir.resolve("model.safetensors") + ")");
    }

    @Test
    void aLayerBeyondTheMultiTokenPredictionLayersIsRefusedAsUnused() throws Exception {
        var spec = DeepseekCheckpoints.v3();
        DeepseekCheckpoints.write(dir, spec, DeepseekCheckpoints.releasedConfig(spec), Map.of(
                "model.layers.4.input_layernorm.weight", new Tensor(DType.BF16, new long[] {160}, new float[160])));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("model.layers.4.input_layernorm.weight is in the checkpoint but not used");
    }

    @Test
    void anFp8WeightWithoutItsBlockScalesIsRefused() throws Exception {
        var spec = DeepseekCheckpoints.v2Lite();
        DeepseekCheckpoints.write(dir, spec, DeepseekCheckpoints.releasedConfig(spec), Map.of(
                "model.layers.0.mlp.gate_proj.weight", new Tensor(DType.F8_E4M3, new long[] {40, 32}, new float[1280])));
        assertThatThrownBy(() -> MoeCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.layers.0.mlp.gate_proj.weight").hasMessageContaining("F8_E4M3")
                .hasMessageContaining("quantization_config");
    }

    private MoeConfig read(ObjectNode config) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        return new ConfigReader().read(file);
    }
}
