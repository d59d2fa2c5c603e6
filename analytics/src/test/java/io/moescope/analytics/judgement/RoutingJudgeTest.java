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

    /**
     * A layer of 4 experts and 4,000 decisions: expert 0 gets 1,000 x (1 + maxVio),
     * the rest share the remainder, so MaxVio = c_0 / 1000 - 1 exactly. A balanced router's MaxVio at that size
     * stays below 0.1, so every value here is evidence and only the thresholds decide.
     */
    private static ExpertLoad withMaxVio(int layer, double maxVio) {
        long first = Math.round(1000 * (1 + maxVio));
        long rest = 4000 - first;
        return new ExpertLoad(layer, new long[] {first, rest - 2 * (rest / 3), rest / 3, rest / 3});
    }

    @Test
    void aValuePastTheThresholdIsRedAndNamesTheRule() {
        var verdict = defaults().judge(AlertMetric.MAX_VIO, withMaxVio(0, 1.5));

        assertThat(verdict.status()).isEqualTo(Status.BREACH);
        assertThat(verdict.rule()).isEqualTo("hot expert");
        assertThat(verdict.reason()).isEqualTo("breaches rule 'hot expert' (fires when max_vio > 1)");
    }

    @Test
    void aValueBetweenTheClearThresholdAndTheThresholdIsAmber() {
        assertThat(RoutingJudge.status(HOT, 0.9)).isEqualTo(Status.NEAR);
        assertThat(RoutingJudge.status(HOT, 1.0)).isEqualTo(Status.NEAR);
        assertThat(defaults().judge(AlertMetric.MAX_VIO, withMaxVio(0, 0.9)).status()).isEqualTo(Status.NEAR);
    }

    @Test
    void aValueAtTheClearThresholdIsGreen() {
        assertThat(RoutingJudge.status(HOT, 0.8)).isEqualTo(Status.OK);
        assertThat(defaults().judge(AlertMetric.MAX_VIO, withMaxVio(0, 0.8)).status()).isEqualTo(Status.OK);
    }

    @Test
    void aBelowRuleIsRedBelowItsThresholdAndAmberUpToItsClearThreshold() {
        assertThat(RoutingJudge.status(COLLAPSE, 0.6)).isEqualTo(Status.BREACH);
        assertThat(RoutingJudge.status(COLLAPSE, 0.72)).isEqualTo(Status.NEAR);
        assertThat(RoutingJudge.status(COLLAPSE, 0.75)).isEqualTo(Status.OK);
    }

    @Test
    void aRuleWithoutAClearBandIsAmberWithinTenPercentOfItsThreshold() {
        var cv = rule(7, "cv", AlertMetric.CV, AlertScope.LAYER, null, null, Comparison.ABOVE, 2.0, 2.0, true);

        assertThat(RoutingJudge.status(cv, 1.85)).isEqualTo(Status.NEAR);
        assertThat(RoutingJudge.status(cv, 1.8)).isEqualTo(Status.OK);
    }

    @Test
    void noDeadExpertIsGreenAndOneIsRed() {
        // 400 tokens of top-2 of 8: a balanced router leaves no expert below 0.1 / 8 of 800 decisions
        var even = new ExpertLoad(4, new long[] {100, 100, 100, 100, 100, 100, 100, 100});
        var oneDead = new ExpertLoad(4, new long[] {115, 115, 114, 114, 114, 114, 114, 0});

        assertThat(defaults().judge(AlertMetric.DEAD_EXPERTS, even).status()).isEqualTo(Status.OK);
        assertThat(defaults().judge(AlertMetric.DEAD_EXPERTS, oneDead).status()).isEqualTo(Status.BREACH);
    }

    @Test
    void aFigureNoEnabledRuleWatchesIsGreenWithoutARule() {
        var rules = new RoutingJudge(List.of(rule(2, "hot expert", AlertMetric.MAX_VIO, AlertScope.LAYER, null,
                null, Comparison.ABOVE, 1.0, 0.8, false)), "run-1");

        var verdict = rules.judge(AlertMetric.MAX_VIO, withMaxVio(0, 2));

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

        assertThat(rules.judge(AlertMetric.MAX_VIO, withMaxVio(0, 2)).rule()).isNull();
        assertThat(rules.judge(AlertMetric.MAX_VIO, withMaxVio(3, 2)).rule()).isEqualTo("layer 3");
    }

    @Test
    void aModelRuleJudgesEveryLayerAndTheWorstVerdictWins() {
        var rules = new RoutingJudge(List.of(
                rule(8, "mild", AlertMetric.MAX_VIO, AlertScope.LAYER, null, null, Comparison.ABOVE, 3, 2, true),
                rule(9, "model strict", AlertMetric.MAX_VIO, AlertScope.MODEL, null, null, Comparison.ABOVE, 1, 1,
                        true)), "run-1");

        var verdict = rules.judge(AlertMetric.MAX_VIO, withMaxVio(2, 2.5));

        assertThat(verdict.status()).isEqualTo(Status.BREACH);
        assertThat(verdict.rule()).isEqualTo("model strict");
    }

    /**
     * One token of a top-2-of-8 model: 6 experts unused, MaxVio 3, entropy 1/3, all past the default rules. But a
     * balanced router shows as much: its 2 decisions fall on one expert in 1 of 8 samples (7 dead, MaxVio 7,
     * entropy 0), which puts its 95th percentile of dead experts at 7. Not evidence: amber, saying why.
     */
    @Test
    void oneTokenWithSixOfEightExpertsUnusedIsTooFewToTell() {
        var oneToken = new ExpertLoad(0, new long[] {1, 1, 0, 0, 0, 0, 0, 0});

        assertThat(defaults().judge(oneToken)).isEqualTo(new Verdict(0, Status.NEAR, "dead experts",
                "dead_experts 6 is past rule 'dead experts' (fires when dead_experts > 0), but a balanced router "
                        + "shows up to 7 at 2 decisions: too few to tell", 2));
    }

    @Test
    void theSameSharesOver400TokensAreEvidence() {
        var manyTokens = new ExpertLoad(0, new long[] {400, 400, 0, 0, 0, 0, 0, 0});

        assertThat(defaults().judge(manyTokens)).isEqualTo(new Verdict(0, Status.BREACH, "dead experts",
                "dead_experts 6 breaches rule 'dead experts' (fires when dead_experts > 0)", 800));
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
                "max_vio 1.300 breaches rule 'hot expert' (fires when max_vio > 1)", 800));
    }

    @Test
    void theLayerVerdictAgreesWithEveryFigureJudgedAlone() {
        var judge = defaults();

        assertThat(judge.judge(AlertMetric.MAX_VIO, HOT_BUT_SPREAD).status()).isEqualTo(Status.BREACH);
        assertThat(judge.judge(AlertMetric.NORMALISED_ENTROPY, HOT_BUT_SPREAD).status()).isEqualTo(Status.OK);
        assertThat(judge.judge(AlertMetric.DEAD_EXPERTS, HOT_BUT_SPREAD).status()).isEqualTo(Status.OK);
    }

    @Test
    void aLayerNoEnabledRuleWatchesIsOkAndSaysSo() {
        assertThat(new RoutingJudge(List.of(), "run-1").judge(HOT_BUT_SPREAD)).isEqualTo(
                new Verdict(5, Status.OK, null, "no enabled alert rule watches layer 5", 800));
    }

    @Test
    void theWorstOfSeveralLayersIsTheMostSevereAndTheLowestLayerOnTies() {
        var ok = new Verdict(0, Status.OK, "hot expert", "", 0);
        var near3 = new Verdict(3, Status.NEAR, "hot expert", "", 0);
        var near4 = new Verdict(4, Status.NEAR, "hot expert", "", 0);

        assertThat(RoutingJudge.worst(List.of(ok, near3, near4))).isSameAs(near3);
    }
}
