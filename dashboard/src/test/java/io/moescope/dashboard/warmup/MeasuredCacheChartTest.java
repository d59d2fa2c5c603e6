package io.moescope.dashboard.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.analytics.warmup.IndexStats;
import io.moescope.analytics.warmup.WarmupAccumulator;
import io.moescope.analytics.warmup.WarmupSummary;
import io.moescope.platform.warmup.MeasuredWarmup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeasuredCacheChartTest {

    private static final Defined<Interval> NO_INTERVAL = Defined.undefined("not shown by the chart");
    private static final IndexStats NONE = new IndexStats(1, 0, null, null, NO_INTERVAL);

    /** Layer 0: 8 accesses, 5 hits, 3 misses of 1, 2 and 6 ms reading 3 MiB; measured at tokens 0 and 3. */
    private static final MeasuredWarmup.Layer LAYER_0 = new MeasuredWarmup.Layer(0, 8, 5, 3, 0.625, 4, 3L << 20,
            2.0, 5.6, 6.0, List.of(new MeasuredWarmup.Point(0, 4, 0.5, NO_INTERVAL),
                    new MeasuredWarmup.Point(3, 4, 0.75, NO_INTERVAL)),
            Defined.of(new WarmupSummary(new WarmupAccumulator.Settings(8, 2, new int[] {2}, 4, 0.05, 0.1, 1024), 1,
                    List.of(policy(CachePolicy.LRU, 0.5, new double[] {0, 0.5}),
                            policy(CachePolicy.LFU, 0.25, new double[] {0, 0.25})), NONE, Map.of())),
            Defined.of(new Interval(0.5, 0.75, 0.95, "bootstrap over 2 requests", 2)));
    /** Layer 1: every access hit (no miss), and no routed token to simulate. */
    private static final MeasuredWarmup.Layer LAYER_1 = new MeasuredWarmup.Layer(1, 4, 4, 0, 1.0, 2, 0, null, null,
            null, List.of(new MeasuredWarmup.Point(0, 4, 1.0, NO_INTERVAL)),
            Defined.undefined("no token routed at layer 1"), NO_INTERVAL);
    private static final MeasuredWarmup WARMUP = new MeasuredWarmup("r1", 8, 2,
            Defined.of(new MeasuredWarmup.Offloading(2, "LRU", 5)), List.of(LAYER_0, LAYER_1));

    private static WarmupSummary.PolicyWarmup policy(CachePolicy policy, double hitRate, double[] curve) {
        return new WarmupSummary.PolicyWarmup(policy, hitRate, new int[] {2}, new double[] {hitRate}, curve, NONE,
                List.of(), List.of());
    }

    @Test
    void eachLayerRowGivesMeasuredHitRatesWithTheirIntervalsSimulatedHitRatesAndMissLatencies() {
        assertThat(MeasuredCacheChart.rows(WARMUP)).containsExactly(
                new MeasuredCacheChart.Row(0, 8, "62.5 % [50.0 %, 75.0 %]", "LRU 50.0 %, LFU 25.0 %", 3, "2.00 ms",
                        "5.60 ms", "6.00 ms", "3.0 MiB"),
                new MeasuredCacheChart.Row(1, 4, "100.0 % [–]", "no token routed at layer 1", 0, "no miss", "no miss",
                        "no miss", "0.0 MiB"));
    }

    @Test
    void theChartPlotsTheMeasuredCurveWithGapsWhereNoStepStartedBesideTheSimulation() {
        JsonNode option = MeasuredCacheChart.option(WARMUP, LAYER_0);

        assertThat(option.path("xAxis").path("data")).hasSize(4);
        assertThat(option.path("series")).hasSize(3);
        assertThat(option.path("series").get(0).path("name").asText()).isEqualTo("measured, LRU C = 2");
        assertThat(option.path("series").get(0).path("data").toString()).isEqualTo("[0.5,null,null,0.75]");
        assertThat(option.path("series").get(1).path("name").asText()).isEqualTo("simulated LRU, C = 2");
        assertThat(option.path("series").get(1).path("data").toString()).isEqualTo("[0.0,0.5,null,null]");
    }
}
