package io.moescope.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void anOddNumberOfPairsHasTheMiddleValueAsMedianAndInterpolatedQuartiles() {
        // sorted -0.01, 0.02, 0.03: q1 halfway between the first two, q3 halfway between the last two
        Spread s = Spread.of(List.of(0.03, -0.01, 0.02));
        assertThat(s.median()).isEqualTo(0.02);
        assertThat(s.q1()).isCloseTo(0.005, within(1e-15));
        assertThat(s.q3()).isCloseTo(0.025, within(1e-15));
        assertThat(s.n()).isEqualTo(3);
    }

    @Test
    void anEvenNumberOfPairsHasTheMeanOfTheTwoMiddleValuesAsMedian() {
        // sorted 1, 2, 3, 4: q1 at position 0.75, q3 at position 2.25
        Spread s = Spread.of(List.of(4.0, 1.0, 3.0, 2.0));
        assertThat(s.median()).isEqualTo(2.5);
        assertThat(s.q1()).isEqualTo(1.75);
        assertThat(s.q3()).isEqualTo(3.25);
    }

    @Test
    void pairsThatAllAgreeHaveAnIntervalOfThatOneValue() {
        Spread s = Spread.of(List.of(0.01, 0.01, 0.01, 0.01, 0.01));
        assertThat(s.low()).isEqualTo(0.01);
        assertThat(s.high()).isEqualTo(0.01);
    }

    @Test
    void theIntervalOfTheMedianLiesWithinTheSmallestAndLargestPair() {
        Spread s = Spread.of(List.of(-0.5, 0.01, 0.02, 0.015, 0.4, 0.012, 0.018, 0.011, 0.3));
        assertThat(s.low()).isBetween(-0.5, s.median());
        assertThat(s.high()).isBetween(s.median(), 0.4);
    }

    @Test
    void noPairsIsRefused() {
        assertThatThrownBy(() -> Spread.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no pairs to summarise");
    }
}
