package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.Projection;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertOffloadingTest {

    private static final int CAPACITY = 2;

    @TempDir
    static Path dir;
    static MoeCheckpoint checkpoint;
    static long expertBytes;

    @BeforeAll
    static void writeDemo() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, DemoProgress.NONE);
        checkpoint = MoeCheckpoint.open(dir);
        for (Projection p : Projection.values()) {
            expertBytes += checkpoint.fileBytes(DecoderTensors.expert(checkpoint.config().arch(), 0, 0, p));
        }
    }

    @AfterAll
    static void close() {
        checkpoint.close();
    }

    @Test
    void anOffloadedModelRoutesAndPredictsExactlyLikeTheResidentOne() {
        var accesses = new ArrayList<ExpertAccess>();
        try (var resident = MoeModel.load(checkpoint);
             var offloaded = MoeModel.load(checkpoint, new Offloading(CAPACITY, CachePolicy.LRU, accesses::add));
             var a = resident.newSequence(); var b = offloaded.newSequence()) {
            int[] input = MoeModelTest.tokens("offloaded experts");
            for (int step = 0; step < 6; step++) {
                ForwardResult expected = a.forward(input);
                ForwardResult actual = b.forward(input);
                for (int t = 0; t < expected.tokens(); t++) {
                    for (int l = 0; l < expected.layers().size(); l++) {
                        assertThat(actual.decisions(t).get(l).expertIds())
                                .isEqualTo(expected.decisions(t).get(l).expertIds());
                    }
                }
                for (int i = 0; i < expected.lastLogits().length; i++) {
                    assertThat(actual.lastLogits()[i]).isCloseTo(expected.lastLogits()[i], within(1e-5f));
                }
                input = new int[] {expected.argmax()};
            }
        }
        assertThat(accesses).anyMatch(ExpertAccess::hit).anyMatch(x -> !x.hit());
    }

    @Test
    void residentExpertMemoryNeverExceedsTheCapacityPerLayerAndNothingIsLoadedUpFront() {
        var misses = new ArrayList<ExpertAccess>();
        try (var model = MoeModel.load(checkpoint, new Offloading(CAPACITY, CachePolicy.LFU, x -> {
            if (!x.hit()) {
                misses.add(x);
            }
        })); var sequence = model.newSequence()) {
            ExpertCache cache = model.expertCache().orElseThrow();
            int layers = checkpoint.config().numLayers();
            assertThat(cache.residentBytes()).isZero();
            ForwardResult result = sequence.forward(MoeModelTest.tokens("a prompt long enough to touch every expert"));
            for (int step = 0; step < 8; step++) {
                for (int l = 0; l < layers; l++) {
                    assertThat(cache.residentIn(l)).isLessThanOrEqualTo(CAPACITY);
                }
                result = sequence.forward(new int[] {result.argmax()});
            }
            // 30 of the 32 experts were used (more than three times what fits), never more than 2 per layer held.
            assertThat(misses.stream().map(x -> x.layer() + "/" + x.expert()).distinct()).hasSize(30);
            assertThat(cache.peakResidentBytes()).isEqualTo(CAPACITY * layers * expertBytes);
            assertThat(misses).allMatch(x -> x.bytesRead() == expertBytes && x.loadNanos() > 0);
        }
    }

    @Test
    void lruEvictsTheLeastRecentlyUsedAndLfuTheLeastFrequentlyUsed() {
        assertThat(evictions(CachePolicy.LRU, 0, 0, 0, 1, 2)).containsExactly(0);
        assertThat(evictions(CachePolicy.LFU, 0, 0, 0, 1, 2)).containsExactly(1);
    }

    /** Experts evicted when layer 0's experts are used in {@code order} with room for two. */
    private static List<Integer> evictions(CachePolicy policy, int... order) {
        var evicted = new ArrayList<Integer>();
        try (var model = MoeModel.load(checkpoint, new Offloading(2, policy, x -> {
            if (x.evicted() >= 0) {
                evicted.add(x.evicted());
            }
        }))) {
            ExpertCache cache = model.expertCache().orElseThrow();
            for (int e : order) {
                cache.get(0, e);
            }
        }
        return evicted;
    }
}
