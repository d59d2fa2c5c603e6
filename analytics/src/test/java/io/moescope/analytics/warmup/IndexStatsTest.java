package io.moescope.analytics.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexStatsTest {

    /** Resampled, the mean of indices 3 and 7 runs from 3 (the first request twice) to 7 (the second twice). */
    @Test
    void theMeanIndexHasAnIntervalOverTheRequestsThatHaveOne() {
        IndexStats stats = IndexStats.of(List.of(3, 7), 4);

        assertThat(stats.mean()).isEqualTo(5.0);
        assertThat(stats.meanInterval95()).isEqualTo(Defined.of(new Interval(3.0, 7.0, 0.95,
                "bootstrap over 2 requests", 2)));
    }

    @Test
    void noRequestWithAnIndexLeavesTheIntervalUndefinedWithTheReason() {
        assertThat(IndexStats.of(List.of(), 3).meanInterval95()).isEqualTo(Defined.undefined(
                "no interval from 0 unit(s) of resampling (bootstrap over 0 requests): it needs at least 2"));
    }
}
