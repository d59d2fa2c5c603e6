package io.moescope.dashboard.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.platform.placement.PlacementAdvice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTextTest {

    private static PlacementAdvice advice(Defined<Interval> before, Defined<Interval> after) {
        return new PlacementAdvice("r", "all tokens of the run", 2, 4, 1, 1, "hierarchical",
                new PlacementAdvice.Summary(0.65, 0.5, 1, Map.of("mean", before)),
                new PlacementAdvice.Summary(1.0, 1.0, 0, Map.of("mean", after)), List.of());
    }

    @Test
    void eachMeanBalancednessReadsWithItsIntervalAndTheMethodOnce() {
        String method = "bootstrap over 2 requests";

        String text = PlacementText.summary(advice(Defined.of(new Interval(7.0 / 12, 0.75, 0.95, method, 2)),
                Defined.of(new Interval(1.0, 1.0, 0.95, method, 2))));

        assertThat(text).contains("before 0.650 [0.583, 0.750] on average, worst 0.500 at layer 1; with this"
                + " placement 1.000 [1.000, 1.000] on average").endsWith("95 % intervals: this placement on"
                + " resampled traffic, bootstrap over 2 requests.");
    }

    @Test
    void withoutAnIntervalTheMeansStandAloneAndTheReasonIsSaid() {
        Defined<Interval> none = Defined.undefined("no interval from 1 unit(s)");

        String text = PlacementText.summary(advice(none, none));

        assertThat(text).contains("before 0.650 [–] on average").endsWith("No interval: no interval from 1 unit(s).");
    }
}
