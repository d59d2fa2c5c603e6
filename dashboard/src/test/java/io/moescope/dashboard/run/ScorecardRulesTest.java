package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import io.moescope.dashboard.run.ScorecardRules.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorecardRulesTest {

    private static AlertRule rule(long id, String name, AlertMetric metric, AlertScope scope, String runId,
                                  Integer layer, Comparison comparison, double threshold, double clear,
                                  boolean enabled) {
        return new AlertRule(id, name, metric, scope, runId, layer, comparison, threshold, clear,
                Duration.ofSeconds(60), Duration.ZERO, enabled);
    }

    /** The seeded defaults: hot expert (MaxVio > 1, clears at 0.8) and routing collapse (entropy < 0.7, 0.75). */
    private static final AlertRule HOT = rule(2, "hot expert", AlertMetric.MAX_VIO, AlertScope.LAYER, null, null,
            Comparison.ABOVE, 1.0, 0.8, true);
    private static final AlertRule COLLAPSE = rule(3, "routing collapse", AlertMetric.NORMALISED_ENTROPY,
            AlertScope.LAYER, null, null, Comparison.BELOW, 0.7, 0.75, true);
    private static final AlertRule DEAD = rule(1, "dead experts", AlertMetric.DEAD_EXPERTS, AlertScope.LAYER, null,
            null, Comparison.ABOVE, 0, 0, true);

    private static ScorecardRules defaults() {
        return new ScorecardRules(List.of(DEAD, HOT, COLLAPSE), "run-1");
    }

    @Test
    void aValuePastTheThresholdIsRedAndNamesTheRule() {
        var verdict = defaults().judge(AlertMetric.MAX_VIO, 0, 1.5);

        assertThat(verdict.status()).isEqualTo(Status.BREACH);
        assertThat(verdict.status().cssClass()).isEqualTo("scorecard-breach");
        assertThat(verdict.rule()).isEqualTo("hot expert");
        assertThat(verdict.reason()).isEqualTo("breaches rule 'hot expert' (fires when max_vio > 1)");
    }

    @Test
    void aValueBetweenTheClearThresholdAndTheThresholdIsAmber() {
        assertThat(defaults().judge(AlertMetric.MAX_VIO, 0, 0.9).status()).isEqualTo(Status.NEAR);
        assertThat(defaults().judge(AlertMetric.MAX_VIO, 0, 1.0).status()).isEqualTo(Status.NEAR);
    }

    @Test
    void aValueAtTheClearThresholdIsGreen() {
        assertThat(defaults().judge(AlertMetric.MAX_VIO, 0, 0.8).status()).isEqualTo(Status.OK);
    }

    @Test
    void aBelowRuleIsRedBelowItsThresholdAndAmberUpToItsClearThreshold() {
        assertThat(defaults().judge(AlertMetric.NORMALISED_ENTROPY, 0, 0.6).status()).isEqualTo(Status.BREACH);
        assertThat(defaults().judge(AlertMetric.NORMALISED_ENTROPY, 0, 0.72).status()).isEqualTo(Status.NEAR);
        assertThat(defaults().judge(AlertMetric.NORMALISED_ENTROPY, 0, 0.75).status()).isEqualTo(Status.OK);
    }

    @Test
    void aRuleWithoutAClearBandIsAmberWithinTenPercentOfItsThreshold() {
        var rules = new ScorecardRules(List.of(rule(7, "cv", AlertMetric.CV, AlertScope.LAYER, null, null,
                Comparison.ABOVE, 2.0, 2.0, true)), "run-1");

        assertThat(rules.judge(AlertMetric.CV, 0, 1.85).status()).isEqualTo(Status.NEAR);
        assertThat(rules.judge(AlertMetric.CV, 0, 1.8).status()).isEqualTo(Status.OK);
    }

    @Test
    void noDeadExpertIsGreenAndOneIsRed() {
        assertThat(defaults().judge(AlertMetric.DEAD_EXPERTS, 4, 0).status()).isEqualTo(Status.OK);
        assertThat(defaults().judge(AlertMetric.DEAD_EXPERTS, 4, 1).status()).isEqualTo(Status.BREACH);
    }

    @Test
    void aFigureNoEnabledRuleWatchesIsGreenWithoutARule() {
        var rules = new ScorecardRules(List.of(rule(2, "hot expert", AlertMetric.MAX_VIO, AlertScope.LAYER, null,
                null, Comparison.ABOVE, 1.0, 0.8, false)), "run-1");

        var verdict = rules.judge(AlertMetric.MAX_VIO, 0, 5);

        assertThat(verdict.status()).isEqualTo(Status.OK);
        assertThat(verdict.rule()).isNull();
        assertThat(verdict.reason()).isEqualTo("no enabled alert rule watches max_vio");
    }

    @Test
    void rulesForAnotherRunAnotherLayerOrThePooledRunDoNotJudgeALayer() {
        var rules = new ScorecardRules(List.of(
                rule(4, "other run", AlertMetric.MAX_VIO, AlertScope.LAYER, "run-2", null, Comparison.ABOVE, 1, 1, true),
                rule(5, "layer 3", AlertMetric.MAX_VIO, AlertScope.LAYER, null, 3, Comparison.ABOVE, 1, 1, true),
                rule(6, "pooled", AlertMetric.MAX_VIO, AlertScope.RUN, null, null, Comparison.ABOVE, 1, 1, true)),
                "run-1");

        assertThat(rules.judge(AlertMetric.MAX_VIO, 0, 5).rule()).isNull();
        assertThat(rules.judge(AlertMetric.MAX_VIO, 3, 5).rule()).isEqualTo("layer 3");
    }

    @Test
    void aModelRuleJudgesEveryLayerAndTheWorstVerdictWins() {
        var rules = new ScorecardRules(List.of(
                rule(8, "mild", AlertMetric.MAX_VIO, AlertScope.LAYER, null, null, Comparison.ABOVE, 3, 2, true),
                rule(9, "model strict", AlertMetric.MAX_VIO, AlertScope.MODEL, null, null, Comparison.ABOVE, 1, 1,
                        true)), "run-1");

        var verdict = rules.judge(AlertMetric.MAX_VIO, 2, 2.5);

        assertThat(verdict.status()).isEqualTo(Status.BREACH);
        assertThat(verdict.rule()).isEqualTo("model strict");
    }
}
