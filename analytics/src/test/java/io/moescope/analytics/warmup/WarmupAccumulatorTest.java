package io.moescope.analytics.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
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
        assertThat(settling).isEqualTo(new IndexStats(2, 1, 1.0, 1, Defined.undefined("no interval from 1 unit(s)"
                + " of resampling (bootstrap over 1 requests): it needs at least 2")));
    }

    /**
     * Request A top-1: 0 1 0, a hit only once the cache holds 2 (0 of 3 at C = 1, 1 of 3 at 2 and 4); B: 2 2, 1 of 2
     * at every size. Resampled, each size's rate runs from one request alone to the other alone.
     */
    @Test
    void theHitRateAtEachSizeHasAnIntervalOverRequests() {
        var acc = accumulator();
        acc.addRequest(List.of(new int[] {0}, new int[] {1}, new int[] {0}));
        acc.addRequest(List.of(new int[] {2}, new int[] {2}));
        WarmupSummary summary = acc.result();

        assertThat(lru(summary).hitRateByCapacityInterval95()).containsExactly(
                Defined.of(new Interval(0.0, 0.5, 0.95, "bootstrap over 2 requests", 2)),
                Defined.of(new Interval(1.0 / 3, 0.5, 0.95, "bootstrap over 2 requests", 2)),
                Defined.of(new Interval(1.0 / 3, 0.5, 0.95, "bootstrap over 2 requests", 2)));
    }

    @Test
    void theIntervalAtTheCurvesSizeIsTheHitRatesOwn() {
        WarmupSummary summary = twoRequests();

        assertThat(lru(summary).hitRateByCapacityInterval95().get(0))
                .isEqualTo(summary.hitRateInterval95().get(CachePolicy.LRU));
    }

    /** t0: both miss, t1: both hit (no spread either way); t2: A alone reaches it. */
    @Test
    void eachCurvePointHasAnIntervalOverTheRequestsThatReachIt() {
        String method = "normal approximation over 2 requests (ratio of sums, linearised)";
        assertThat(lru(twoRequests()).curveInterval95()).containsExactly(
                Defined.of(new Interval(0.0, 0.0, 0.95, method, 2)),
                Defined.of(new Interval(1.0, 1.0, 0.95, method, 2)),
                Defined.undefined("no interval from 1 unit(s): it needs at least 2"));
    }

    @Test
    void oneRequestHasNoIntervalAtAnySize() {
        var acc = accumulator();
        acc.addRequest(List.of(new int[] {0}, new int[] {0}));

        assertThat(lru(acc.result()).hitRateByCapacityInterval95()).hasSize(3).allSatisfy(interval -> assertThat(
                interval.reason()).isEqualTo("no interval from 1 unit(s) of resampling (bootstrap over 1 requests):"
                + " it needs at least 2"));
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
