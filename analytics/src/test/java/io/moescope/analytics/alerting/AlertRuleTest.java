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
                loads)).containsExactly(java.util.Map.entry("r/layer 0", new AlertSubjects.Observation(0.5, loads.get(0))),
                java.util.Map.entry("r/layer 1", new AlertSubjects.Observation(1.0, loads.get(1))));
        // the model's value is its worst layer's, measured on that layer's load
        assertThat(AlertSubjects.values(rule(AlertMetric.MAX_VIO, AlertScope.MODEL, Comparison.ABOVE, 1, 1), "r",
                loads)).containsExactly(java.util.Map.entry("r", new AlertSubjects.Observation(1.0, loads.get(1))));
    }

    @Test
    void runScopePoolsTheLayers() {
        // pooled 7 1 -> mean 4, MaxVio 0.75
        var loads = List.of(new ExpertLoad(0, new long[] {3, 1}), new ExpertLoad(1, new long[] {4, 0}));
        assertThat(AlertSubjects.values(rule(AlertMetric.MAX_VIO, AlertScope.RUN, Comparison.ABOVE, 1, 1), "r",
                loads)).containsExactly(java.util.Map.entry("r",
                new AlertSubjects.Observation(0.75, new ExpertLoad(-1, new long[] {7, 1}))));
    }

    /**
     * A window holding one token of a top-2-of-8 model routes it to 2 experts: normalised entropy ln 2 / ln 8 = 1/3,
     * below a collapse threshold of 0.7; but a balanced router's 2 decisions fall on one expert (entropy 0) in 1 of 8
     * samples, so 1/3 is within what chance shows and the alert does not go pending. The same shares over 400
     * tokens are far outside it.
     */
    @Test
    void aBreachNeedsAValueBeyondWhatABalancedRouterShowsAtTheWindowsSize() {
        var collapse = rule(AlertMetric.NORMALISED_ENTROPY, AlertScope.LAYER, Comparison.BELOW, 0.7, 0.75);
        var balanced = new io.moescope.analytics.evidence.BalancedRouter();
        var oneToken = new ExpertLoad(0, new long[] {1, 1, 0, 0, 0, 0, 0, 0});
        var manyTokens = new ExpertLoad(0, new long[] {400, 400, 0, 0, 0, 0, 0, 0});

        assertThat(collapse.breachedBy(1.0 / 3)).isTrue();
        assertThat(collapse.breachedBy(AlertMetric.NORMALISED_ENTROPY.of(oneToken), oneToken, balanced)).isFalse();
        assertThat(collapse.breachedBy(AlertMetric.NORMALISED_ENTROPY.of(manyTokens), manyTokens, balanced)).isTrue();
    }
}
