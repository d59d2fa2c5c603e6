package io.moescope.analytics.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.load.ExpertLoad;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowedLoadsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aWindowSumsTheBucketsStartingInIt() {
        var loads = new WindowedLoads();
        loads.put("r", 0, T0, new long[] {1, 0});
        loads.put("r", 0, T0.plusSeconds(1), new long[] {2, 1});
        loads.put("r", 0, T0.plusSeconds(2), new long[] {0, 4});
        assertThat(loads.loads("r", T0.plusSeconds(1))).containsExactly(new ExpertLoad(0, new long[] {2, 5}));
    }

    @Test
    void aBucketThatSawAHigherExpertIdWidensTheSumInsteadOfLosingItsCounts() {
        var loads = new WindowedLoads();
        loads.put("r", 0, T0, new long[] {1, 2});
        loads.put("r", 0, T0.plusSeconds(1), new long[] {0, 1, 0, 3});
        assertThat(loads.loads("r", T0)).containsExactly(new ExpertLoad(0, new long[] {1, 3, 0, 3}));
    }

    @Test
    void aReEmittedBucketReplacesItsEarlierCounts() {
        var loads = new WindowedLoads();
        loads.put("r", 0, T0, new long[] {1, 0});
        loads.put("r", 0, T0, new long[] {3, 1});
        assertThat(loads.loads("r", T0)).containsExactly(new ExpertLoad(0, new long[] {3, 1}));
    }

    @Test
    void evictionDropsOldBucketsAndEmptyRuns() {
        var loads = new WindowedLoads();
        loads.put("old", 0, T0, new long[] {1});
        loads.put("new", 0, T0.plusSeconds(10), new long[] {1});
        loads.evictBefore(T0.plusSeconds(5));
        assertThat(loads.runs()).containsExactly("new");
    }
}
