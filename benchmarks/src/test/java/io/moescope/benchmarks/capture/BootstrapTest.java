package io.moescope.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    /** The four resamples of two measurements, in this order: {0,0}, {0,1}, {1,1}, {1,0}. */
    private static Bootstrap scripted() {
        Iterator<int[]> draws = List.of(new int[] {0, 0}, new int[] {0, 1}, new int[] {1, 1}, new int[] {1, 0})
                .iterator();
        return new Bootstrap(4, n -> draws.next());
    }

    @Test
    void theIntervalOfTheMedianIsThe2Point5thAnd97Point5thPercentileOfTheResampledMedians() {
        // resampled medians of {1, 3}: 1, 2, 3, 2; sorted 1, 2, 2, 3; percentiles at positions 0.075 and 2.925
        Spread s = Spread.of(List.of(1.0, 3.0), scripted());
        assertThat(s.median()).isEqualTo(2.0);
        assertThat(s.low()).isCloseTo(1.075, within(1e-12));
        assertThat(s.high()).isCloseTo(2.925, within(1e-12));
    }

    @Test
    void theRatioOfSumsIsTheTotalExtraOverTheTotalBaseWithItsIntervalOverResampledPairs() {
        // extras 1 and 3 over bases 10 and 10: 4 / 20; resamples 2/20, 4/20, 6/20, 4/20; sorted 0.1, 0.2, 0.2, 0.3
        SumRatio r = SumRatio.of(new double[] {1, 3}, new double[] {10, 10}, scripted());
        assertThat(r.value()).isCloseTo(0.2, within(1e-12));
        assertThat(r.low()).isCloseTo(0.1075, within(1e-12));
        assertThat(r.high()).isCloseTo(0.2925, within(1e-12));
        assertThat(r.n()).isEqualTo(2);
    }

    @Test
    void theSeededBootstrapGivesTheSameIntervalEveryTime() {
        List<Double> values = List.of(0.03, -0.01, 0.02, 0.05, 0.0, 0.01, -0.02);
        assertThat(Spread.of(values)).isEqualTo(Spread.of(values));
    }

    @Test
    void aShareAddedToARatioOfSumsMovesTheValueAndBothEnds() {
        SumRatio r = new SumRatio(0.01, -0.005, 0.02, 10).plus(0.004);
        assertThat(r.value()).isCloseTo(0.014, within(1e-15));
        assertThat(r.low()).isCloseTo(-0.001, within(1e-15));
        assertThat(r.high()).isCloseTo(0.024, within(1e-15));
        assertThat(r.n()).isEqualTo(10);
    }
}
