package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.summary.LayerLoadMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorecardRowsTest {

    @Test
    void eachLayerShowsItsFiveFiguresAsTheAlertRulesComputeThem() {
        // counts 6, 2, 0, 0 (N = 4): mean 2, max 6; shares 0.75, 0.25, 0, 0
        var layer = LayerLoadMetrics.of(new ExpertLoad(5, new long[] {6, 2, 0, 0}));

        var row = ScorecardRows.of(List.of(layer), new RoutingJudge(List.of(), "run-1")).get(0);

        assertThat(row.layer()).isEqualTo(5);
        assertThat(row.cards()).extracting(ScorecardRows.Card::text).containsExactly(
                "2.000",  // MaxVio (6 - 2) / 2
                "1.225",  // CV sqrt(((6-2)^2 + 0 + 2^2 + 2^2) / 4) / 2 = sqrt(6) / 2
                "0.406",  // -(0.75 ln 0.75 + 0.25 ln 0.25) / ln 4
                "1.75",   // exp(0.5623)
                "2");     // shares below 0.1 / 4
    }
}
