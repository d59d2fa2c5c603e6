package io.moescope.analytics.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.events.ExpertCounts;
import io.moescope.events.Phase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The intervals of a comparison, 4 experts, top-2, layer 0. Run a's two units both choose experts 0 and 1; run b's
 * first unit chooses 0 and 1, its second 2 and 3. Resampled, b alone is b1 b1 (a quarter of the resamples: JSD 0
 * bits), b1 b2 or b2 b2 (a quarter: disjoint supports, JSD 1 bit): the interval runs from 0 to 1. The shared tokens'
 * two requests: all of 2 choices shared, then none: the overlap's interval runs from 0 to 1.
 */
class ComparisonIntervalsTest {

    private static final String STEPS = "bootstrap over 2 steps and bootstrap over 2 steps";

    private static ResamplingUnits units(long[]... steps) {
        var units = ResamplingUnits.tokenBlocks(4);
        for (int s = 0; s < steps.length; s++) {
            units.acceptStep(new ExpertCounts("r", s, Phase.UNKNOWN, 0, 1,
                    List.of(new ExpertCounts.LayerCounts(0, steps[s]))));
        }
        return units;
    }

    private static RunComparison comparison(RequestSeparation separation) {
        var overlaps = ResamplingUnits.requests(1);
        overlaps.acceptRatios(Map.of(0, new long[] {2, 2}));
        overlaps.acceptRatios(Map.of(0, new long[] {0, 2}));
        return RunComparison.of("a", "b", "all tokens", 2,
                Map.of(0, new ExpertLoad(0, new long[] {2, 2, 0, 0})),
                Map.of(0, new ExpertLoad(0, new long[] {1, 1, 1, 1})), Map.of(0, 0.5), separation,
                units(new long[] {1, 1, 0, 0}, new long[] {1, 1, 0, 0}),
                units(new long[] {1, 1, 0, 0}, new long[] {0, 0, 1, 1}), overlaps);
    }

    @Test
    void aLayersDivergenceHasAnIntervalFromResamplingBothRunsSideBySide() {
        RunComparison.Layer layer = comparison(RequestSeparation.SEPARABLE).layers().get(0);

        assertThat(layer.interval95().get("jsdBits")).isEqualTo(Defined.of(new Interval(0.0, 1.0, 0.95, STEPS, 2)));
    }

    @Test
    void aLayersTopKOverlapHasAnIntervalOverTheSharedRequests() {
        RunComparison.Layer layer = comparison(RequestSeparation.SEPARABLE).layers().get(0);

        assertThat(layer.topKOverlap()).isEqualTo(Defined.of(0.5));
        assertThat(layer.interval95().get("topKOverlap"))
                .isEqualTo(Defined.of(new Interval(0.0, 1.0, 0.95, "bootstrap over 2 requests", 2)));
    }

    /** One layer: the means over layers are that layer's figures. */
    @Test
    void theModelsMeansOverLayersHaveIntervals() {
        RunComparison.Model model = comparison(RequestSeparation.SEPARABLE).model();

        assertThat(model.interval95().get("jsdBits")).isEqualTo(Defined.of(new Interval(0.0, 1.0, 0.95, STEPS, 2)));
        assertThat(model.interval95().get("topKOverlap"))
                .isEqualTo(Defined.of(new Interval(0.0, 1.0, 0.95, "bootstrap over 2 requests", 2)));
    }

    @Test
    void whereRequestsCannotBeToldApartTheOverlapsIntervalIsUndefinedWithTheReason() {
        RunComparison.Layer layer = comparison(new RequestSeparation("one req_id")).layers().get(0);

        assertThat(layer.interval95().get("topKOverlap"))
                .isEqualTo(Defined.undefined("requests cannot be told apart: one req_id"));
        assertThat(layer.interval95().get("jsdBits").value()).isNotNull();
    }
}
