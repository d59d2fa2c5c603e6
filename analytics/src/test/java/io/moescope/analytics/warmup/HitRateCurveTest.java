package io.moescope.analytics.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class HitRateCurveTest {

    // top-2, C = 2, LRU: t0 misses both; t1, t2 hit both; t3 (2, 3) misses both -> hits 0 2 2 0
    private static final CacheTrace TRACE = ExpertCacheSimulator.simulate(
            List.of(new int[] {0, 1}, new int[] {0, 1}, new int[] {1, 0}, new int[] {2, 3}), 4, 2, CachePolicy.LRU);

    @Test
    void theCumulativeCurveIsHitsSoFarOverAccessesSoFar() {
        // 0/2, 2/4, 4/6, 4/8
        assertThat(TRACE.hits()).containsExactly(0, 2, 2, 0);
        assertThat(HitRateCurve.cumulative(TRACE)).containsExactly(new double[] {0, 0.5, 2.0 / 3, 0.5}, within(1e-15));
    }

    @Test
    void theWindowedCurveCoversTheLastWTokensAndAShorterWindowAtTheStart() {
        // W = 2: t0 0/2, t1 (0+2)/4, t2 (2+2)/4, t3 (2+0)/4
        assertThat(HitRateCurve.windowed(TRACE, 2)).containsExactly(0, 0.5, 1.0, 0.5);
    }

    @Test
    void theCurveSettlesWhereEveryLaterWindowStaysNearTheSecondHalfsHitRate() {
        // top-1 hits 0 0 1 1 1 1 1 1: reference (tokens 4..7) = 1; full W = 2 windows: t1 0, t2 0.5, t3..7 1
        var trace = new CacheTrace(CachePolicy.LRU, 2, 1, new int[] {0, 0, 1, 1, 1, 1, 1, 1});
        assertThat(HitRateCurve.settlingIndex(trace, 2, 0.1)).hasValue(3);
        // a tolerance of 0.5 accepts the half-warm window at t2 too
        assertThat(HitRateCurve.settlingIndex(trace, 2, 0.5)).hasValue(2);
    }

    @Test
    void aCurveThatKeepsSwingingNeverSettles() {
        // W = 1 windows alternate 1, 0 around a reference of 0.5: always 0.5 off
        var trace = new CacheTrace(CachePolicy.LRU, 2, 1, new int[] {1, 0, 1, 0, 1, 0});
        assertThat(HitRateCurve.settlingIndex(trace, 1, 0.1)).isEqualTo(OptionalInt.empty());
    }

    @Test
    void aSequenceShorterThanTwoWindowsHasNoSettlingIndex() {
        var trace = new CacheTrace(CachePolicy.LRU, 2, 1, new int[] {1, 1, 1});
        assertThat(HitRateCurve.settlingIndex(trace, 2, 0.1)).isEmpty();
    }

    @Test
    void anEmptyTraceHasEmptyCurves() {
        var empty = new CacheTrace(CachePolicy.LRU, 2, 1, new int[0]);
        assertThat(HitRateCurve.cumulative(empty)).isEmpty();
        assertThat(HitRateCurve.windowed(empty, 4)).isEmpty();
    }

    @Test
    void aWindowBelowOneTokenIsRefused() {
        assertThatThrownBy(() -> HitRateCurve.windowed(TRACE, 0)).hasMessage("window must be >= 1 token but was 0");
    }
}
