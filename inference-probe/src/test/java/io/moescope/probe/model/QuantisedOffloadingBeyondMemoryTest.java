package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.probe.checkpoint.Architecture;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.Projection;
import io.moescope.probe.checkpoint.StackedExpertTensor;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.demo.DemoShape;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OffloadingBeyondMemoryTest} for the quantised releases: a gpt-oss checkpoint with MXFP4 experts and a
 * DeepSeek-V3 one with FP8 e4m3 weights, as the demo writer writes them. On disk their experts are 8x and about 4x
 * smaller than the float32 copies the engine computes with, so what must stay bounded is those copies: a forked JVM
 * with a small heap generates to the end with at most C experts per layer resident, and the memory no file backs grows
 * by less than half of what every expert materialised in float32 would take.
 */
class QuantisedOffloadingBeyondMemoryTest {

    private static final int HEAP_MIB = 64;
    private static final int NEW_TOKENS = 16;

    @TempDir
    Path dir;

    /**
     * gpt-oss: 4 layers x 32 experts of hidden and width 384, top-2 (1.7 MiB per expert in float32, 216 MiB in all,
     * 28 MiB as MXFP4). DeepSeek-V3: 4 MoE layers after a dense one x 48 experts of 384 x 256, top-4 of 8 groups
     * (1.1 MiB per expert in float32, 216 MiB in all, 54 MiB as FP8).
     */
    static Stream<Arguments> checkpoints() {
        return Stream.of(Arguments.of("gpt-oss MXFP4", DemoShape.gptOss(384, 384, 4, 32, 2), 2),
                Arguments.of("deepseek-v3 FP8", DemoShape.deepseekV3(384, 256, 5, 48, 4), 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void quantisedExpertsSeveralTimesTheHeapGenerateToTheEndWithBoundedResidentExperts(String name, MoeConfig config,
                                                                                       int capacity) throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, config, DemoProgress.NONE);
        long expertBytes;
        try (var checkpoint = MoeCheckpoint.open(dir)) {
            expertBytes = fileBytesOfOneExpert(checkpoint);
        }
        int layers = config.moeLayers().size();
        long floatExpert = 3L * config.hiddenSize() * config.intermediateSize() * Float.BYTES;
        long allExpertsAsFloats = floatExpert * config.numExperts() * layers;
        assertThat(allExpertsAsFloats).isGreaterThan(3L * HEAP_MIB * 1024 * 1024);
        // the quantised form is what is read: a quarter (FP8 plus its block scales) or less (MXFP4) of float32
        assertThat(expertBytes).isLessThan(floatExpert / 3);

        Map<String, Long> figures = OffloadedGeneration.fork(dir, capacity, NEW_TOKENS, HEAP_MIB);

        assertThat(figures.get("generatedTokens")).isEqualTo(NEW_TOKENS);
        assertThat(figures.get("maxHeapBytes")).isLessThanOrEqualTo(HEAP_MIB * 1024L * 1024);
        assertThat(figures.get("distinctExpertsLoaded")).as(name).isGreaterThan(2L * capacity * layers);
        // the cache counts checkpoint bytes: never more than C experts per MoE layer held
        assertThat(figures.get("peakResidentExpertBytes")).as(name).isEqualTo(capacity * layers * expertBytes);
        // the kernel's view: the float32 copies of every expert were materialised (by the misses) more than once over,
        // yet memory no file backs grew by less than half of holding them all
        long materialised = figures.get("misses") * floatExpert;
        long anonymousGrowth = figures.get("anonymousPeakBytes") - figures.get("anonymousAtLoadBytes");
        assertThat(materialised).as(name).isGreaterThan(allExpertsAsFloats);
        assertThat(anonymousGrowth).as(name).isLessThan(allExpertsAsFloats / 2);
        System.out.printf("%s offloaded beyond memory: %d MiB of experts in float32 (%d MiB on disk), heap %d MiB, "
                        + "expert cache %d per layer: %d misses (%.0f MiB materialised in float32), anonymous RSS "
                        + "%.0f MiB after loading and %.0f MiB at peak (+%.0f MiB, of which the cache's float32 "
                        + "experts at most %.0f MiB), peak RSS %.0f MiB%n", name, allExpertsAsFloats >> 20,
                (expertBytes * config.numExperts() * layers) >> 20, HEAP_MIB, capacity, figures.get("misses"),
                materialised / 1048576.0, figures.get("anonymousAtLoadBytes") / 1048576.0,
                figures.get("anonymousPeakBytes") / 1048576.0, anonymousGrowth / 1048576.0,
                capacity * layers * floatExpert / 1048576.0, figures.get("VmHWMBytes") / 1048576.0);
    }

    /** What the cache counts for one expert: its slices of the stacked MXFP4 tensors, or its FP8 weights and scales. */
    private static long fileBytesOfOneExpert(MoeCheckpoint checkpoint) {
        MoeConfig c = checkpoint.config();
        int layer = c.moeLayers().get(0);
        long bytes = 0;
        if (c.arch() == Architecture.GPT_OSS) {
            for (StackedExpertTensor t : StackedExpertTensor.of(c.gptOssExperts())) {
                bytes += checkpoint.fileBytes(t.name(layer)) / c.numExperts();
            }
            return bytes;
        }
        for (Projection p : Projection.values()) {
            bytes += checkpoint.fileBytes(DecoderTensors.expert(c.arch(), layer, 0, p));
        }
        return bytes;
    }
}
