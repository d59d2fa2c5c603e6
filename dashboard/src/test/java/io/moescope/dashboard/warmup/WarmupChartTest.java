package io.moescope.dashboard.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.analytics.warmup.IndexStats;
import io.moescope.analytics.warmup.WarmupAccumulator;
import io.moescope.analytics.warmup.WarmupSummary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WarmupChartTest {

    private static final Defined<Interval> NO_INTERVAL = Defined.undefined("not needed by the chart");

    @Test
    void theMarkerSitsAtTheMeanStabilisationPointRounded() {
        assertThat(WarmupChart.stabilisation(new IndexStats(4, 2, 17.5, 30, NO_INTERVAL), 100)).hasValue(18);
    }

    @Test
    void noRequestStabilisingMeansNoMarker() {
        assertThat(WarmupChart.stabilisation(new IndexStats(4, 0, null, null, NO_INTERVAL), 100)).isEmpty();
    }

    @Test
    void aPointBeyondThePlottedTokensIsNotMarked() {
        assertThat(WarmupChart.stabilisation(new IndexStats(4, 1, 150.0, 150, NO_INTERVAL), 100)).isEmpty();
    }

    @Test
    void theWindowedHitRateIsTheMeanOfTheLastWTokensFewerAtTheStartAndGapsStayGaps() {
        double[] curve = {0, 1, 0, 1, 1, Double.NaN};

        assertThat(WarmupChart.windowed(curve, 2)).containsExactly(0, 0.5, 0.5, 0.5, 1, Double.NaN);
    }

    @Test
    void eachLineIsWindowedAndDotsWhereItSettles() {
        var settings = new WarmupAccumulator.Settings(8, 2, new int[] {2}, 2, 0.05, 0.1, 100);
        var lru = new WarmupSummary.PolicyWarmup(CachePolicy.LRU, 0.6, new int[] {2}, new double[] {0.6},
                new double[] {0, 1, 0, 1, 1, 1}, new IndexStats(3, 2, 3.4, 4, NO_INTERVAL), List.of(), List.of());
        var summary = new WarmupSummary(settings, 3, List.of(lru), new IndexStats(3, 0, null, null, NO_INTERVAL),
                Map.of());

        var option = WarmupChart.option(Map.of(2, summary), Set.of(CachePolicy.LRU), 0, "all tokens");

        assertThat(option.at("/series/0/name").asText()).isEqualTo("LRU, C = 2");
        assertThat(option.at("/series/0/data").toString()).isEqualTo("[0.0,0.5,0.5,0.5,1.0,1.0]");
        assertThat(option.at("/series/0/markPoint/data/0/coord").toString()).isEqualTo("[\"3\",0.5]");
        assertThat(option.at("/yAxis/name").asText())
                .isEqualTo("hit rate over the last 2 tokens (fraction of expert accesses)");
    }

    @Test
    void eachRowGivesTheHitRateAndTheMeanSettlingIndexWithTheirIntervals() {
        var settings = new WarmupAccumulator.Settings(8, 2, new int[] {2}, 2, 0.05, 0.1, 100);
        var settling = new IndexStats(3, 2, 3.5, 4, Defined.of(new Interval(3, 4, 0.95, "bootstrap over 2 requests",
                2)));
        var lru = new WarmupSummary.PolicyWarmup(CachePolicy.LRU, 0.375, new int[] {2}, new double[] {0.375},
                new double[] {0, 1}, settling, List.of(), List.of());
        var summary = new WarmupSummary(settings, 3, List.of(lru), new IndexStats(3, 0, null, null, NO_INTERVAL),
                Map.of(CachePolicy.LRU, Defined.of(new Interval(0.25, 0.5, 0.95, "bootstrap over 3 requests", 3))));

        assertThat(WarmupChart.rows(Map.of(2, summary), Set.of(CachePolicy.LRU))).containsExactly(new WarmupChart.Row(
                "LRU", 2, "37.5 % [25.0 %, 50.0 %]", "token 3.5 [3.0, 4.0] on average (max 4), 2 of 3 requests"));
    }
}
