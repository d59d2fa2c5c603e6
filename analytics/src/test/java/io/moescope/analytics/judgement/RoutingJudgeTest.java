package io.moescope.analytics.judgement;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import io.moescope.analytics.judgement.Verdict.Status;
import io.moescope.analytics.load.ExpertLoad;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingJudgeTest {

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

    private static RoutingJudge defaults() {
        return new RoutingJudge(List.of(DEAD, HOT, COLLAPSE), "run-1");
    }

    @Test
    void aValuePastTheThresholdIsRedAndNamesTheRule() {
        var verdict = defaults().judge(AlertMetric.MAX_VIO, 0, 1.5);

        assertThat(verdict.status()).isEqualTo(Status.BREACH);
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
        var rules = new RoutingJudge(List.of(rule(7, "cv", AlertMetric.CV, AlertScope.LAYER, null, null,
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
        var rules = new RoutingJudge(List.of(rule(2, "hot expert", AlertMetric.MAX_VIO, AlertScope.LAYER, null,
                null, Comparison.ABOVE, 1.0, 0.8, false)), "run-1");

        var verdict = rules.judge(AlertMetric.MAX_VIO, 0, 5);

        assertThat(verdict.status()).isEqualTo(Status.OK);
        assertThat(verdict.rule()).isNull();
        assertThat(verdict.reason()).isEqualTo("no enabled alert rule watches max_vio");
    }

    @Test
    void rulesForAnotherRunAnotherLayerOrThePooledRunDoNotJudgeALayer() {
        var rules = new RoutingJudge(List.of(
                rule(4, "other run", AlertMetric.MAX_VIO, AlertScope.LAYER, "run-2", null, Comparison.ABOVE, 1, 1, true),
                rule(5, "layer 3", AlertMetric.MAX_VIO, AlertScope.LAYER, null, 3, Comparison.ABOVE, 1, 1, true),
                rule(6, "pooled", AlertMetric.MAX_VIO, AlertScope.RUN, null, null, Comparison.ABOVE, 1, 1, true)),
                "run-1");

        assertThat(rules.judge(AlertMetric.MAX_VIO, 0, 5).rule()).isNull();
        assertThat(rules.judge(AlertMetric.MAX_VIO, 3, 5).rule()).isEqualTo("layer 3");
    }

    @Test
    void aModelRuleJudgesEveryLayerAndTheWorstVerdictWins() {
        var rules = new RoutingJudge(List.of(
                rule(8, "mild", AlertMetric.MAX_VIO, AlertScope.LAYER, null, null, Comparison.ABOVE, 3, 2, true),
                rule(9, "model strict", AlertMetric.MAX_VIO, AlertScope.MODEL, null, null, Comparison.ABOVE, 1, 1,
                        true)), "run-1");

        var verdict = rules.judge(AlertMetric.MAX_VIO, 2, 2.5);

        assertThat(verdict.status()).isEqualTo(Status.BREACH);
        assertThat(verdict.rule()).isEqualTo("model strict");
    }

    /**
     * A Mixtral-shaped layer (8 experts, top-2, 400 tokens): counts 230 169 109 104 84 49 42 13 of 800. MaxVio =
     * 230 / 100 - 1 = 1.30; normalised entropy = -sum p ln p / ln 8 = 0.891; the smallest share 13/800 = 0.01625
     * is above 0.1 / 8 = 0.0125, so no expert is dead. The hot-expert rule (> 1) breaches; entropy 0.891 is clear
     * of the collapse rule (< 0.7, clears at 0.75): the layer is BREACH by 'hot expert', whatever else it reads.
     */
    private static final ExpertLoad HOT_BUT_SPREAD = new ExpertLoad(5, new long[] {230, 169, 109, 104, 84, 49, 42, 13});

    @Test
    void aLayerIsJudgedByItsWorstRuleWithTheMeasuredValue() {
        assertThat(defaults().judge(HOT_BUT_SPREAD)).isEqualTo(new Verdict(5, Status.BREACH, "hot expert",
                "max_vio 1.300 breaches rule 'hot expert' (fires when max_vio > 1)"));
    }

    @Test
    void theLayerVerdictAgreesWithEveryFigureJudgedAlone() {
        var judge = defaults();

        assertThat(judge.judge(AlertMetric.MAX_VIO, 5, AlertMetric.MAX_VIO.of(HOT_BUT_SPREAD)).status())
                .isEqualTo(Status.BREACH);
        assertThat(judge.judge(AlertMetric.NORMALISED_ENTROPY, 5, AlertMetric.NORMALISED_ENTROPY.of(HOT_BUT_SPREAD))
                .status()).isEqualTo(Status.OK);
        assertThat(judge.judge(AlertMetric.DEAD_EXPERTS, 5, AlertMetric.DEAD_EXPERTS.of(HOT_BUT_SPREAD)).status())
                .isEqualTo(Status.OK);
    }

    @Test
    void aLayerNoEnabledRuleWatchesIsOkAndSaysSo() {
        assertThat(new RoutingJudge(List.of(), "run-1").judge(HOT_BUT_SPREAD)).isEqualTo(
                new Verdict(5, Status.OK, null, "no enabled alert rule watches layer 5"));
    }

    @Test
    void theWorstOfSeveralLayersIsTheMostSevereAndTheLowestLayerOnTies() {
        var ok = new Verdict(0, Status.OK, "hot expert", "");
        var near3 = new Verdict(3, Status.NEAR, "hot expert", "");
        var near4 = new Verdict(4, Status.NEAR, "hot expert", "");

        assertThat(RoutingJudge.worst(List.of(ok, near3, near4))).isSameAs(near3);
    }
}
