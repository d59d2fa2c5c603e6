package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.Projection;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offloading on a checkpoint whose experts do not fit in the memory the probe is given: a forked JVM whose heap is
 * a fraction of the expert weights generates to the end with at most {@value #CAPACITY} experts per layer resident.
 */
class OffloadingBeyondMemoryTest {

    private static final int CAPACITY = 2;
    private static final int HEAP_MIB = 64;
    private static final int NEW_TOKENS = 16;
    /** 4 layers x 40 experts of 3 x 128 x 1024 float32 weights: 1.5 MiB an expert, 240 MiB of experts. */
    private static final DemoModelSpec SPEC = new DemoModelSpec(128, 1024, 4, 4, 2, 40, 2, 1e6, 2.0, 1.0, 7L);

    @TempDir
    Path dir;

    @Test
    void aCheckpointWithExpertsSeveralTimesTheProcessHeapGeneratesToTheEndWithBoundedResidentExperts()
            throws Exception {
        new DemoCheckpointWriter(SPEC).write(dir, DemoProgress.NONE);
        long expertBytes;
        try (var checkpoint = MoeCheckpoint.open(dir)) {
            expertBytes = bytesOfOneExpert(checkpoint);
        }
        long allExperts = expertBytes * SPEC.numExperts() * SPEC.numLayers();
        assertThat(expertBytes).isEqualTo(3L * 128 * 1024 * Float.BYTES);
        assertThat(allExperts).isGreaterThan(3L * HEAP_MIB * 1024 * 1024);

        Map<String, Long> figures = OffloadedGeneration.fork(dir, CAPACITY, NEW_TOKENS, HEAP_MIB);

        assertThat(figures.get("generatedTokens")).isEqualTo(NEW_TOKENS);
        assertThat(figures.get("maxHeapBytes")).isLessThanOrEqualTo(HEAP_MIB * 1024L * 1024);
        // More than three times what fits was used, and never more than CAPACITY experts per layer were held.
        assertThat(figures.get("distinctExpertsLoaded")).isGreaterThan(3L * CAPACITY * SPEC.numLayers());
        assertThat(figures.get("peakResidentExpertBytes")).isEqualTo(CAPACITY * SPEC.numLayers() * expertBytes);
        // The kernel's view, not only the cache's accounting: while generating, memory no file backs grew by less
        // than half the experts' size (44-55 MiB of 240 here: the cache's 12 MiB plus the engine's own working memory),
        // although the misses materialised more than the whole set.
        long loadedBytes = figures.get("misses") * expertBytes;
        long anonymousGrowth = figures.get("anonymousPeakBytes") - figures.get("anonymousAtLoadBytes");
        assertThat(loadedBytes).isGreaterThan(allExperts);
        assertThat(anonymousGrowth).isLessThan(allExperts / 2);
        System.out.printf("offloading beyond memory: %d MiB of experts, heap %d MiB, expert cache %d per layer: "
                        + "peak resident experts %.1f MiB, %d misses (%.0f MiB materialised), anonymous RSS %.0f MiB "
                        + "after loading and %.0f MiB at peak (+%.0f MiB), peak RSS %.0f MiB (checkpoint pages "
                        + "included)%n", allExperts >> 20, HEAP_MIB, CAPACITY,
                figures.get("peakResidentExpertBytes") / 1048576.0, figures.get("misses"), loadedBytes / 1048576.0,
                figures.get("anonymousAtLoadBytes") / 1048576.0, figures.get("anonymousPeakBytes") / 1048576.0,
                anonymousGrowth / 1048576.0, figures.get("VmHWMBytes") / 1048576.0);
    }

    private static long bytesOfOneExpert(MoeCheckpoint checkpoint) {
        long bytes = 0;
        for (Projection p : Projection.values()) {
            bytes += checkpoint.fileBytes(DecoderTensors.expert(checkpoint.config().arch(), 0, 0, p));
        }
        return bytes;
    }
}
