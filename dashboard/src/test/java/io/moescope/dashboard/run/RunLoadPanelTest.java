package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.platform.metrics.RunMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLoadPanelTest {

    @Test
    void theMaxVioAxisReachesTheUpperBoundNOverKMinusOne() {
        // 8 experts, top-2: bound 3; the layer's MaxVio is far below it
        var layer = LayerLoadMetrics.of(new ExpertLoad(0, new long[] {3, 2, 2, 2, 2, 2, 2, 1}));
        var option = RunLoadPanel.maxVio(new RunMetrics("r", "all tokens", 8, 2, List.of(layer)));

        assertThat(option.at("/yAxis/min").asDouble()).isZero();
        assertThat(option.at("/yAxis/max").asDouble()).isEqualTo(3);
        assertThat(option.at("/title/subtext").asText()).endsWith("upper bound N/k - 1 = 3");
    }

    @Test
    void aBoundThatIsNoWholeNumberIsShownRounded() {
        var layer = LayerLoadMetrics.of(new ExpertLoad(0, new long[] {1, 1, 1}));
        var option = RunLoadPanel.maxVio(new RunMetrics("r", "all tokens", 3, 2, List.of(layer)));

        assertThat(option.at("/yAxis/max").asDouble()).isEqualTo(0.5);
        assertThat(option.at("/title/subtext").asText()).endsWith("= 0.5");
    }
}
