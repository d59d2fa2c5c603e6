package io.moescope.probe.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.probe.checkpoint.BlockScales;
import io.moescope.probe.checkpoint.ConfigReader;
import io.moescope.probe.checkpoint.ConfigWriter;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.RopeScaling;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.model.ParameterCounts;
import io.moescope.traces.routing.GroupLimitedRouting;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoShapeTest {

    @Test
    void theOlmoeLikeShapeRoutesLikeOlmoe1b7bWithNarrowerWidths() {
        MoeConfig c = DemoShape.OLMOE_LIKE.config();
        assertThat(c.architecture()).isEqualTo("OlmoeForCausalLM");
        assertThat(c.numExperts()).isEqualTo(64);
        assertThat(c.topK()).isEqualTo(8);
        assertThat(c.moeLayers()).hasSize(16);
        assertThat(c.normTopKProb()).isFalse();
        assertThat(c.hiddenSize()).isEqualTo(256);
        assertThat(c.intermediateSize()).isEqualTo(128);
    }

    @Test
    void theDemoShapeIsTheDemoModel() {
        assertThat(DemoShape.DEMO.config()).isEqualTo(DemoModelSpec.defaults().toConfig());
    }

    @Test
    void shapesAreFoundByTheirCommandLineNames() {
        assertThat(DemoShape.byCliName("olmoe-like")).isEqualTo(DemoShape.OLMOE_LIKE);
        assertThat(DemoShape.byCliName("demo")).isEqualTo(DemoShape.DEMO);
        assertThat(DemoShape.byCliName("gpt-oss-like")).isEqualTo(DemoShape.GPT_OSS_LIKE);
        assertThat(DemoShape.byCliName("deepseek-v3-like")).isEqualTo(DemoShape.DEEPSEEK_V3_LIKE);
    }

    @Test
    void anUnknownShapeIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> DemoShape.byCliName("mixtral")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown demo shape 'mixtral'; known: demo, olmoe-like, gpt-oss-like, deepseek-v3-like, "
                        + "mixtral-591m");
    }

    @Test
    void theMixtral591mShapeHasTheParametersOfTheTransformersComparison(@TempDir Path dir) throws IOException {
        MoeConfig c = DemoShape.MIXTRAL_591M.config();
        assertThat(c.architecture()).isEqualTo("MixtralForCausalLM");
        assertThat(c.vocabSize()).isEqualTo(8192);
        // 8 x (8 experts x 3 x 1024 x 2816 + router 1024 x 8 + q, o 1024 x 1024 + k, v 1024 x 256 + 2 norms 1024)
        // + embedding and LM head 2 x 8192 x 1024 + final norm 1024
        long perLayer = 8L * 3 * 1024 * 2816 + 1024 * 8 + 2 * 1024 * 1024 + 2 * 1024 * 256 + 2 * 1024;
        assertThat(parameters(c, dir).total()).isEqualTo(8 * perLayer + 2 * 8192 * 1024 + 1024)
                .isEqualTo(591_479_808L);
    }

    @Test
    void theGptOssLikeShapeIsReleasedGptOssWithAboutHalfABillionParameters(@TempDir Path dir) throws IOException {
        MoeConfig c = DemoShape.GPT_OSS_LIKE.config();
        assertThat(c.architecture()).isEqualTo("GptOssForCausalLM");
        assertThat(c.gptOssExperts().mxfp4()).isTrue();
        assertThat(c.numExperts()).isEqualTo(32);
        assertThat(c.topK()).isEqualTo(4);
        assertThat(c.ropeScaling()).isEqualTo(RopeScaling.gptOssDefault());
        assertThat(c.slidingWindow().layers()).containsExactly(0, 2, 4, 6, 8, 10);
        long total = parameters(c, dir).total();
        assertThat(total).isBetween(400_000_000L, 600_000_000L);
        // the count from config.json is the unpacked elements of the tensors: two e2m1 codes a block byte
        long elements = 0;
        for (var e : DecoderTensors.expected(c).entrySet()) {
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            elements += e.getKey().endsWith("_scales") ? 0 : e.getKey().endsWith("_blocks") ? 2 * n : n;
        }
        assertThat(total).isEqualTo(elements);
    }

    @Test
    void theDeepseekV3LikeShapeIsReleasedDeepseekV3WithAboutHalfABillionParameters(@TempDir Path dir)
            throws IOException {
        MoeConfig c = DemoShape.DEEPSEEK_V3_LIKE.config();
        assertThat(c.architecture()).isEqualTo("DeepseekV3ForCausalLM");
        assertThat(c.deepseek().weightBlocks()).isEqualTo(BlockScales.DEEPSEEK_V3);
        assertThat(c.deepseek().qLoraRank()).isNotNull();
        assertThat(c.deepseek().router()).isInstanceOfSatisfying(GroupLimitedRouting.class, r -> {
            assertThat(r.groups()).isEqualTo(8);
            assertThat(r.keptGroups()).isEqualTo(4);
            assertThat(r.needsCorrectionBias()).isTrue();
        });
        assertThat(c.isMoeLayer(0)).isFalse();
        assertThat(c.moeLayers()).hasSize(c.numLayers() - 1);
        assertThat(c.sharedExpertSize()).isEqualTo(c.intermediateSize());
        ParameterCounts counts = parameters(c, dir);
        assertThat(counts.total()).isBetween(400_000_000L, 600_000_000L);
        // block scales are not parameters; every other tensor the decoder reads is
        long elements = DecoderTensors.expected(c).values().stream()
                .mapToLong(shape -> Arrays.stream(shape).reduce(1, (a, b) -> a * b)).sum();
        assertThat(counts.total()).isEqualTo(elements);
    }

    @Test
    void theReleasedConfigsReadBackAsTheShapes(@TempDir Path dir) throws IOException {
        for (DemoShape shape : List.of(DemoShape.GPT_OSS_LIKE, DemoShape.DEEPSEEK_V3_LIKE)) {
            Path file = dir.resolve(shape.cliName() + ".json");
            new ConfigWriter(ConfigWriter.Layout.RELEASED).write(shape.config(), file);
            assertThat(new ConfigReader().read(file)).as(shape.cliName()).isEqualTo(shape.config());
        }
    }

    private static ParameterCounts parameters(MoeConfig c, Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        new ConfigWriter(ConfigWriter.Layout.RELEASED).write(c, file);
        return ParameterCounts.of(ModelConfig.read(file));
    }
}
