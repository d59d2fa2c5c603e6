package io.moescope.analytics.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WarmupAccumulatorTest {

    /** N = 4, C = 1, W = 1, tolerance 0, sizes {1, 2, 4}. */
    private static WarmupAccumulator accumulator() {
        return new WarmupAccumulator(new WarmupAccumulator.Settings(4, 1,
                WarmupAccumulator.Settings.doublingCapacities(4), 1, 0.0, 0.1, 100));
    }

    /** Request A top-1: 0 0 1 (LRU C=1: miss hit miss); request B: 2 2 (miss hit). */
    private static WarmupSummary twoRequests() {
        var acc = accumulator();
        acc.addRequest(List.of(new int[] {0}, new int[] {0}, new int[] {1}));
        acc.addRequest(List.of(new int[] {2}, new int[] {2}));
        return acc.result();
    }

    private static WarmupSummary.PolicyWarmup lru(WarmupSummary summary) {
        return summary.policies().stream().filter(p -> p.policy() == CachePolicy.LRU).findFirst().orElseThrow();
    }

    @Test
    void theWarmUpCurveAveragesEachTokenIndexOverTheRequestsThatReachIt() {
        // t0: 0 of 2 hit, t1: 2 of 2, t2: only A reaches it and misses
        assertThat(lru(twoRequests()).curve()).containsExactly(0.0, 1.0, 0.0);
    }

    @Test
    void theHitRateCountsEveryAccessOfEveryRequest() {
        // 2 hits of 5 accesses at every size: A's expert 1 is new whatever the size
        WarmupSummary.PolicyWarmup lru = lru(twoRequests());
        assertThat(lru.hitRate()).isEqualTo(0.4);
        assertThat(lru.capacities()).containsExactly(1, 2, 4);
        assertThat(lru.hitRateByCapacity()).containsExactly(0.4, 0.4, 0.4);
    }

    @Test
    void settlingIsReportedOnlyForRequestsThatSettle() {
        // A: reference (tokens 1..2) 0.5, last window 0 -> never settles; B: reference 1, settles at token 1
        IndexStats settling = lru(twoRequests()).settling();
        assertThat(settling).isEqualTo(new IndexStats(2, 1, 1.0, 1));
    }

    @Test
    void theCacheSizeOfTheCurveIsAlwaysAmongTheSizes() {
        var settings = new WarmupAccumulator.Settings(8, 3, new int[] {1, 8}, 4, 0.05, 0.1, 10);
        assertThat(settings.capacities()).containsExactly(1, 3, 8);
    }

    @Test
    void allThreePoliciesAreReportedWithBeladyLast() {
        assertThat(twoRequests().policies()).extracting(WarmupSummary.PolicyWarmup::policy)
                .containsExactly(CachePolicy.LRU, CachePolicy.LFU, CachePolicy.BELADY);
    }

    @Test
    void noRequestIsAClearErrorNotAZeroHitRate() {
        var acc = accumulator();
        acc.addRequest(List.of());
        assertThatThrownBy(acc::result).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no request routed a token");
    }
}
