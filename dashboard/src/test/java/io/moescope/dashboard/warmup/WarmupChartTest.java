package io.moescope.dashboard.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.warmup.IndexStats;
import org.junit.jupiter.api.Test;

class WarmupChartTest {

    @Test
    void theMarkerSitsAtTheMeanStabilisationPointRounded() {
        assertThat(WarmupChart.stabilisation(new IndexStats(4, 2, 17.5, 30), 100)).hasValue(18);
    }

    @Test
    void noRequestStabilisingMeansNoMarker() {
        assertThat(WarmupChart.stabilisation(new IndexStats(4, 0, null, null), 100)).isEmpty();
    }

    @Test
    void aPointBeyondThePlottedTokensIsNotMarked() {
        assertThat(WarmupChart.stabilisation(new IndexStats(4, 1, 150.0, 150), 100)).isEmpty();
    }
}
