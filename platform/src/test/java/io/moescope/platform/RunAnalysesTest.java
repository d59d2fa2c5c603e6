package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.analytics.warmup.WarmupSummary;
import io.moescope.platform.timeline.LoadTimeline;
import io.moescope.platform.warmup.WarmupCurves;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The dashboard's raw-decision analyses over a stored run in PostgreSQL: load per time bucket, cache warm-up. */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class RunAnalysesTest extends EmbeddedPlatformTest {

    /** One request, one layer, top-1 of 2 experts: tokens 0..3 pick experts 0, 1, 0, 1, one second apart. */
    private static final int[][][] ALTERNATING = {{{0}}, {{1}}, {{0}}, {{1}}};
    /** The same shape, but the router moves from expert 0 (tokens 0, 1) to expert 1 (tokens 2, 3). */
    private static final int[][][] SHIFTING = {{{0}}, {{0}}, {{1}}, {{1}}};

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private LoadTimeline timeline;
    @Autowired
    private WarmupCurves warmup;

    @BeforeEach
    void storeRun() {
        new StoredRuns(jdbc).store("alternating", "alternating", 2, 0, ALTERNATING);
        new StoredRuns(jdbc).store("shifting", "shifting", 2, 0, SHIFTING);
        new StoredRuns(jdbc).storeNotSeparable("batched", "batched", 2, 0, ALTERNATING, "one req_id for every prompt");
    }

    @Test
    void theRunsSpanIsCutIntoEqualBucketsEachWithItsOwnCounts() {
        // span 0..3 s in 2 buckets: tokens at 0 s and 1 s, then 2 s and 3 s
        LoadTimeline.Timeline cut = timeline.buckets("shifting", Optional.empty(), 2).orElseThrow();
        List<LoadTimeline.Bucket> buckets = cut.buckets();

        assertThat(buckets).hasSize(2);
        assertThat(buckets.get(0).loads()).extracting(ExpertLoad::counts).containsExactly(new long[] {2, 0});
        assertThat(buckets.get(1).loads()).extracting(ExpertLoad::counts).containsExactly(new long[] {0, 2});
        assertThat(buckets.get(0).from()).isEqualTo(StoredRuns.T0);
        assertThat(cut.source()).isEqualTo(LoadTimeline.Source.RAW_DECISIONS);
    }

    @Test
    void anUnknownRunHasNoTimeline() {
        assertThat(timeline.buckets("nope", Optional.empty(), 2)).isEmpty();
    }

    @Test
    void aCacheOfBothExpertsHitsFromTheThirdTokenAndACacheOfOneNeverHits() {
        // LRU, C = 2: miss 0, miss 1, hit 0, hit 1; C = 1: every token evicts the expert the next one needs
        var curves = warmup.curves("alternating", Optional.empty(), 0, List.of(1, 2)).orElseThrow();

        WarmupSummary.PolicyWarmup two = lru(curves.get(2).value());
        assertThat(two.curve()).containsExactly(0, 0, 1, 1);
        assertThat(two.hitRate()).isEqualTo(0.5);
        assertThat(lru(curves.get(1).value()).hitRate()).isEqualTo(0);
    }

    @Test
    void theWarmUpOfARunWhoseRequestsCannotBeToldApartIsUndefinedWithTheReasonForEverySize() {
        var curves = warmup.curves("batched", Optional.empty(), 0, List.of(1, 2)).orElseThrow();

        assertThat(curves.values()).containsOnly(
                Defined.undefined("requests cannot be told apart: one req_id for every prompt"));
        assertThat(curves).containsOnlyKeys(1, 2);
    }

    @Test
    void aCacheLargerThanTheLayerIsRefusedNamingTheSize() {
        assertThatThrownBy(() -> warmup.curves("alternating", Optional.empty(), 0, List.of(3)))
                .hasMessage("cache size 3 is outside 1..2 (the layer has 2 experts)");
    }

    private static WarmupSummary.PolicyWarmup lru(WarmupSummary summary) {
        return summary.policies().stream().filter(p -> p.policy() == CachePolicy.LRU).findFirst().orElseThrow();
    }
}
