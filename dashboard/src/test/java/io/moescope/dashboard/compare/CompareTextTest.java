package io.moescope.dashboard.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.analytics.suite.RunComparison;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.platform.metrics.RunMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareTextTest {

    private static RunMetrics run(LayerLoadMetrics... layers) {
        return new RunMetrics("r", "all tokens", 2, 1, List.of(layers));
    }

    @Test
    void theDifferenceIsBsShareMinusAsInPercentagePointsForLayersInBoth() {
        var a = run(LayerLoadMetrics.of(new ExpertLoad(0, new long[] {3, 1})),
                LayerLoadMetrics.of(new ExpertLoad(1, new long[] {1, 1})));
        var b = run(LayerLoadMetrics.of(new ExpertLoad(0, new long[] {1, 1})));

        var option = CompareText.difference(a, b, "A", "B").orElseThrow().toOption();

        // layer 0: shares 0.75 / 0.25 in A, 0.5 / 0.5 in B; layer 1 is only in A
        assertThat(option.at("/yAxis/data").toString()).isEqualTo("[\"0\"]");
        assertThat(option.at("/series/0/data").toString()).isEqualTo("[[0,0,-25.0],[1,0,25.0]]");
        assertThat(option.at("/title/text").asText()).isEqualTo("Load share difference: B minus A");
    }

    @Test
    void runsWithoutACommonLayerHaveNoDifference() {
        var a = run(LayerLoadMetrics.of(new ExpertLoad(0, new long[] {1, 1})));
        var b = run(LayerLoadMetrics.of(new ExpertLoad(1, new long[] {1, 1})));

        assertThat(CompareText.difference(a, b, "A", "B")).isEmpty();
    }

    private static RunComparison comparison(double... jsdBits) {
        var layers = new java.util.ArrayList<RunComparison.Layer>();
        for (int l = 0; l < jsdBits.length; l++) {
            layers.add(new RunComparison.Layer(l, Defined.of(jsdBits[l] * Math.log(2)), Defined.of(jsdBits[l]),
                    Defined.of(0.9), Map.of()));
        }
        return new RunComparison("a", "b", "all tokens", 10, layers,
                RunComparison.Model.of(layers, RequestSeparation.SEPARABLE, Map.of()));
    }

    @Test
    void theDivergenceAxisIsFittedToTheValuesSoSmallDifferencesShow() {
        var option = CompareText.divergence(comparison(0.012, 0.037));

        assertThat(option.at("/yAxis/max").asDouble()).isEqualTo(0.05);
        assertThat(option.at("/series/0/data").toString()).isEqualTo("[0.012,0.037]");
    }

    @Test
    void theOverlapKeepsItsWholeRangeFromZeroToOne() {
        assertThat(CompareText.overlap(comparison(0.012)).at("/yAxis/max").asDouble()).isEqualTo(1);
    }
}
