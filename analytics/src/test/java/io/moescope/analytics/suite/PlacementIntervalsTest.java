package io.moescope.analytics.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.placement.Eplb;
import io.moescope.analytics.placement.EplbPlan;
import io.moescope.events.ExpertCounts;
import io.moescope.events.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The intervals of a placement's balancedness, 4 experts on 2 GPUs, 4 slots, two steps as the units. Layer 0: step A
 * counts 2 0 1 0, step B 1 2 0 0, together 3 2 1 0; layer 1: 1 1 1 1 in each step. Before, experts 0 and 1 share
 * GPU 0: A alone 2 | 1 (mean 1.5 / max 2 = 0.75), B alone 3 | 0 (0.5), both 5 | 1 (0.6). EPLB's plan for 3 2 1 0
 * (heaviest first onto the lightest GPU with room) puts experts 0 and 3 on GPU 0, 1 and 2 on GPU 1: A alone 2 | 1
 * (0.75), B alone 1 | 2 (0.75), both 3 | 3 (1). Layer 1 is even on either placement (1). With 2 units, a quarter of
 * the resamples draw A twice and a quarter B twice: the 2.5th and 97.5th percentiles are the smallest and the largest
 * of the three values.
 */
class PlacementIntervalsTest {

    private static final String METHOD = "bootstrap over 2 steps";
    private static final List<Integer> LAYERS = List.of(0, 1);

    private static ResamplingUnits steps(long[]... layer0) {
        var units = ResamplingUnits.tokenBlocks(4);
        for (int s = 0; s < layer0.length; s++) {
            units.acceptStep(new ExpertCounts("r", s, Phase.UNKNOWN, 0, 1, List.of(new ExpertCounts.LayerCounts(0,
                    layer0[s]), new ExpertCounts.LayerCounts(1, new long[] {1, 1, 1, 1}))));
        }
        return units;
    }

    private static EplbPlan plan() {
        return Eplb.rebalance(List.of(new ExpertLoad(0, new long[] {3, 2, 1, 0}),
                new ExpertLoad(1, new long[] {2, 2, 2, 2})), 4, 1, 1, 2);
    }

    private static PlacementIntervals twoSteps() {
        return PlacementIntervals.of(steps(new long[] {2, 0, 1, 0}, new long[] {1, 2, 0, 0}), LAYERS, plan(), 2);
    }

    private static Defined<Interval> interval(double low, double high) {
        return Defined.of(new Interval(low, high, 0.95, METHOD, 2));
    }

    @Test
    void balancednessBeforeRunsFromTheWorseStepAloneToTheBetter() {
        assertThat(twoSteps().ofLayer(0).get(PlacementIntervals.BEFORE)).isEqualTo(interval(0.5, 0.75));
    }

    @Test
    void balancednessAfterPlacesEveryResampleAsTheWholeRunsPlanPlacesIt() {
        assertThat(twoSteps().ofLayer(0).get(PlacementIntervals.AFTER)).isEqualTo(interval(0.75, 1.0));
    }

    @Test
    void aLayerEvenInEveryResampleHasAnIntervalOfOnePoint() {
        assertThat(twoSteps().ofLayer(1).get(PlacementIntervals.AFTER)).isEqualTo(interval(1.0, 1.0));
    }

    /** Before: B twice (0.5 + 1) / 2 = 0.75 to A twice (0.75 + 1) / 2; after: 0.875 alone, 1 together. */
    @Test
    void theMeansOverLayersAreResampledAsOne() {
        var means = twoSteps().ofMean();

        assertThat(means.get(PlacementIntervals.BEFORE)).isEqualTo(interval(0.75, 0.875));
        assertThat(means.get(PlacementIntervals.AFTER)).isEqualTo(interval(0.875, 1.0));
    }

    @Test
    void oneUnitGivesNoIntervalAndSaysWhy() {
        var intervals = PlacementIntervals.of(steps(new long[] {3, 2, 1, 0}), LAYERS, plan(), 2);

        assertThat(intervals.ofLayer(0).get(PlacementIntervals.BEFORE)).isEqualTo(Defined.undefined(
                "no interval from 1 unit(s) of resampling (bootstrap over 1 steps): it needs at least 2"));
        assertThat(intervals.ofMean().get(PlacementIntervals.AFTER).value()).isNull();
    }
}
