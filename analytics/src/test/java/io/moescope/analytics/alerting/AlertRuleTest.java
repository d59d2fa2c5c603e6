package io.moescope.analytics.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.load.ExpertLoad;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRuleTest {

    private static AlertRule rule(AlertMetric metric, AlertScope scope, Comparison comparison, double threshold,
                                  double clear) {
        return new AlertRule(1, "r", metric, scope, null, null, comparison, threshold, clear, Duration.ofMinutes(1),
                Duration.ZERO, true);
    }

    @Test
    void anUnknownMetricIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> AlertMetric.parse("loudness")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("metric: unknown metric 'loudness'; known: max_vio, cv,");
    }

    @Test
    void metricNamesAreTheSnakeCaseIds() {
        assertThat(AlertMetric.parse("dead_experts")).isEqualTo(AlertMetric.DEAD_EXPERTS);
    }

    @Test
    void aClearThresholdOnTheBadSideIsRefused() {
        assertThatThrownBy(() -> rule(AlertMetric.MAX_VIO, AlertScope.LAYER, Comparison.ABOVE, 1.0, 1.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clearThreshold:");
    }

    @Test
    void layerScopeGivesOneValuePerLayerAndModelScopeTheWorst() {
        // layer 0: counts 3 1 -> MaxVio (3-2)/2 = 0.5; layer 1: 4 0 -> 1.0
        var loads = List.of(new ExpertLoad(0, new long[] {3, 1}), new ExpertLoad(1, new long[] {4, 0}));
        assertThat(AlertSubjects.values(rule(AlertMetric.MAX_VIO, AlertScope.LAYER, Comparison.ABOVE, 1, 1), "r",
                loads)).containsExactly(java.util.Map.entry("r/layer 0", 0.5), java.util.Map.entry("r/layer 1", 1.0));
        assertThat(AlertSubjects.values(rule(AlertMetric.MAX_VIO, AlertScope.MODEL, Comparison.ABOVE, 1, 1), "r",
                loads)).containsExactly(java.util.Map.entry("r", 1.0));
    }

    @Test
    void runScopePoolsTheLayers() {
        // pooled 7 1 -> mean 4, MaxVio 0.75
        var loads = List.of(new ExpertLoad(0, new long[] {3, 1}), new ExpertLoad(1, new long[] {4, 0}));
        assertThat(AlertSubjects.values(rule(AlertMetric.MAX_VIO, AlertScope.RUN, Comparison.ABOVE, 1, 1), "r",
                loads)).containsExactly(java.util.Map.entry("r", 0.75));
    }
}
