package io.moescope.analytics.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.alerting.AlertRule;
import io.moescope.analytics.alerting.AlertScope;
import io.moescope.analytics.alerting.Comparison;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.judgement.Verdict.Status;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.model.LayerAggregate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelLoadSummaryTest {

    private static final List<ExpertLoad> LOADS = List.of(
            new ExpertLoad(0, new long[] {2, 2, 2, 2}),
            new ExpertLoad(1, new long[] {6, 2, 0, 0}),
            new ExpertLoad(2, new long[] {0, 0, 0, 0}));

    /** The seeded hot-expert rule: MaxVio > 1, clears at 0.8. */
    private static final RoutingJudge JUDGE = new RoutingJudge(List.of(new AlertRule(2, "hot expert",
            AlertMetric.MAX_VIO, AlertScope.LAYER, null, null, Comparison.ABOVE, 1.0, 0.8, Duration.ofSeconds(60),
            Duration.ofSeconds(120), true)), "run-1");

    private static ModelLoadSummary summary(List<ExpertLoad> loads) {
        return ModelLoadSummary.of(loads, 0.1, JUDGE, 16, Map.of());
    }

    @Test
    void eachMetricIsTheMeanOverLayersAndTheWorstLayer() {
        var summary = summary(LOADS);
        // MaxVio 0 and 2: mean 1, worst 2 at layer 1
        assertThat(summary.maxVio()).isEqualTo(new LayerAggregate(1.0, 2.0, 1));
        // normalised entropy 1 and 0.4056390622: mean 0.7028195311, worst (lowest) at layer 1
        assertThat(summary.normalisedEntropy().mean()).isCloseTo(0.7028195311, within(1e-9));
        assertThat(summary.normalisedEntropy().worstLayer()).isEqualTo(1);
        assertThat(summary.gini()).isEqualTo(new LayerAggregate(0.3125, 0.625, 1));
    }

    @Test
    void deadExpertsAreTheMeanCountPerLayerAndTheLayerWithTheMost() {
        // tau 0.1 of 1/4: layer 0 none dead, layer 1 experts 2 and 3 (share 0)
        assertThat(summary(LOADS).deadExperts()).isEqualTo(new LayerAggregate(1.0, 2.0, 1));
    }

    @Test
    void theDominantShareIsTheMeanAndTheHottestLayer() {
        // layer 0: 2/8 = 0.25, layer 1: 6/8 = 0.75
        assertThat(summary(LOADS).dominantShare()).isEqualTo(new LayerAggregate(0.5, 0.75, 1));
    }

    @Test
    void layersWithoutTokensAreListedInsteadOfAveraged() {
        assertThat(summary(LOADS).emptyLayers()).containsExactly(2);
    }

    @Test
    void theWorstVerdictIsTheMostSevereLayer() {
        // layer 0: MaxVio 0 (OK); layer 1: MaxVio 6/2 - 1 = 2 > 1 (BREACH by the hot-expert rule)
        var worst = summary(LOADS).worstVerdict();
        assertThat(worst.layer()).isEqualTo(1);
        assertThat(worst.status()).isEqualTo(Status.BREACH);
        assertThat(worst.reason()).isEqualTo("max_vio 2 breaches rule 'hot expert' (fires when max_vio > 1)");
    }

    @Test
    void aModelWithoutAnyRoutedTokenIsRefused() {
        assertThatThrownBy(() -> summary(List.of(new ExpertLoad(0, new long[] {0}))))
                .hasMessage("no layer holds a routed token (1 layers given)");
    }

    @Test
    void theWorstOfEqualLayersIsTheFirst() {
        assertThat(LayerAggregate.of(new int[] {3, 5}, new double[] {1, 1}, true).worstLayer()).isEqualTo(3);
    }
}
