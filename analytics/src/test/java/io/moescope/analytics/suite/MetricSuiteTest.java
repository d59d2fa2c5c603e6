package io.moescope.analytics.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MetricSuiteTest {

    /** Layer 0 of one request: [0,1] [0,2] [1,0] [3,2] -> counts 3 2 2 1; layer 1 always [0,1]. */
    private static final int[][][] TOP_K = {
        {{0, 1}, {0, 1}}, {{0, 2}, {0, 1}}, {{1, 0}, {0, 1}}, {{3, 2}, {0, 1}}};

    @Test
    void composesEveryLayerFromOnePassOverTheRawTokens() {
        MetricSuite suite = suiteOfOneRequest(RequestSeparation.SEPARABLE);

        assertThat(suite.tokens()).isEqualTo(4);
        assertThat(suite.layers()).extracting(LayerSuite::layer).containsExactly(0, 1);
        assertThat(suite.layers().get(0).counts()).containsExactly(3, 2, 2, 1);
        assertThat(suite.layers().get(1).counts()).containsExactly(4, 4, 0, 0);
        assertThat(suite.layers().get(1).consistency().value().sameFirstChoice()).isEqualTo(1.0);
        assertThat(suite.detailLayer()).isZero();
        assertThat(suite.coActivation().value().timesChosen()).containsExactly(3, 2, 2, 1);
        assertThat(suite.model().value()).isNotNull();
    }

    @Test
    void aSetWithoutRoutedTokensHasNoModelSummaryAndSaysWhy() {
        SuiteOptions options = SuiteOptions.defaults();
        var pass = new SequencePass(4, 0, options.warmupSettings(4), true, RequestSeparation.SEPARABLE);
        pass.finish();

        MetricSuite suite = MetricSuite.of("r", "phase DECODE", 4, 2, List.of(), "raw decisions", pass,
                options.tau(), new RoutingJudge(List.of(), "r"));

        assertThat(suite.layers()).isEmpty();
        assertThat(suite.model().reason()).isEqualTo("no routed token in phase DECODE");
        assertThat(suite.coActivation().reason()).contains("no token routed at layer 0");
    }

    @Test
    void routingConsistencyOfARunWithSeparableRequestsIsMeasured() {
        MetricSuite suite = suiteOfOneRequest(RequestSeparation.SEPARABLE);

        LayerSuite.Consistency layer0 = suite.layers().get(0).consistency().value();
        assertThat(layer0.pairs()).isEqualTo(3);
        assertThat(layer0.sameFirstChoice()).isEqualTo(1.0 / 3);
        assertThat(layer0.topKIntersect()).isEqualTo(2.0 / 3);
        assertThat(suite.modelConsistency().value().pairs()).isEqualTo(6);
        assertThat(suite.modelConsistency().value().sameFirstChoice()).isEqualTo(4.0 / 6);
        assertThat(suite.warmup().value()).isNotNull();
    }

    @Test
    void sequenceMetricsOfARunWhoseRequestsCannotBeToldApartAreNullWithTheReason() {
        MetricSuite suite = suiteOfOneRequest(RequestSeparation.of(NOT_SEPARABLE));

        String reason = "requests cannot be told apart: " + NOT_SEPARABLE;
        assertThat(suite.layers()).extracting(l -> l.consistency().value()).containsExactly(null, null);
        assertThat(suite.layers()).extracting(l -> l.consistency().reason()).containsExactly(reason, reason);
        assertThat(suite.modelConsistency()).isEqualTo(Defined.undefined(reason));
        assertThat(suite.warmup()).isEqualTo(Defined.undefined(reason));
    }

    @Test
    void perTokenMetricsOfARunWhoseRequestsCannotBeToldApartStay() {
        MetricSuite suite = suiteOfOneRequest(RequestSeparation.of(NOT_SEPARABLE));

        assertThat(suite.layers().get(0).counts()).containsExactly(3, 2, 2, 1);
        assertThat(suite.coActivation().value().timesChosen()).containsExactly(3, 2, 2, 1);
        assertThat(suite.model().value()).isNotNull();
    }

    /**
     * Layer 1 is [0,1] always: experts 2 and 3 never chosen, so a rule firing on any dead expert breaches there
     * (8 decisions), and layer 0 (counts 3 2 2 1) is clear of it.
     */
    @Test
    void aSuiteJudgedByOtherRulesHasTheVerdictsOfOneComposedWithThem() {
        var deadExperts = new AlertRule(1, "dead experts", AlertMetric.DEAD_EXPERTS, AlertScope.LAYER, null, null,
                Comparison.ABOVE, 0, 0, Duration.ofMinutes(1), Duration.ZERO, true);
        var judge = new RoutingJudge(List.of(deadExperts), "r");
        MetricSuite composed = SuiteOfTokens.of(IntStream.range(0, TOP_K.length).mapToObj(MetricSuiteTest::token)
                .toList(), RequestSeparation.SEPARABLE, judge);

        MetricSuite judged = suiteOfOneRequest(RequestSeparation.SEPARABLE).judgedBy(judge);

        assertThat(judged.layers()).extracting(LayerSuite::verdict)
                .isEqualTo(composed.layers().stream().map(LayerSuite::verdict).toList());
        assertThat(judged.layers().get(1).verdict().status()).isEqualTo(Verdict.Status.BREACH);
        assertThat(judged.model().value().verdicts()).isEqualTo(composed.model().value().verdicts());
        assertThat(judged.model().value().worstVerdict()).isEqualTo(composed.model().value().worstVerdict());
        assertThat(judged.model().value().worstVerdict().layer()).isEqualTo(1);
    }

    private static final String NOT_SEPARABLE = "requests in stream '0': 3 of its 3 forward passes after the first"
            + " hold several tokens";

    private static MetricSuite suiteOfOneRequest(RequestSeparation separation) {
        return SuiteOfTokens.of(IntStream.range(0, TOP_K.length).mapToObj(MetricSuiteTest::token).toList(),
                separation);
    }

    private static TokenRouting token(int t) {
        return SuiteOfTokens.token(t, "q", t, t < 2 ? Phase.PREFILL : Phase.DECODE, TOP_K[t]);
    }
}
