package io.moescope.dashboard.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.platform.metrics.RunMetrics;
import java.util.List;
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
}
