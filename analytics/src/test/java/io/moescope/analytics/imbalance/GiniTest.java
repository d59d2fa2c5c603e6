package io.moescope.analytics.imbalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class GiniTest {

    @Test
    void giniIsZeroWhenEveryExpertGetsTheSameLoad() {
        assertThat(Gini.of(new ExpertLoad(0, new long[] {3, 3, 3, 3}))).isZero();
    }

    @Test
    void giniIsTheMeanAbsolutePairDifferenceOverTwiceTheMean() {
        // c = (6, 2, 0, 0): unordered pair differences 4 + 6 + 6 + 2 + 2 + 0 = 20, ordered pairs 40;
        // 2 N^2 m = 2 * 16 * 2 = 64; 40 / 64 = 0.625
        assertThat(Gini.of(new ExpertLoad(0, new long[] {6, 2, 0, 0}))).isCloseTo(0.625, within(1e-12));
    }

    @Test
    void giniReachesOneMinusOneOverNWhenOneExpertGetsEverything() {
        // c = (0, 8, 0, 0): ordered pair differences 2 * 3 * 8 = 48; 2 N^2 m = 64; 48 / 64 = 0.75 = 1 - 1/4
        assertThat(Gini.of(new ExpertLoad(0, new long[] {0, 8, 0, 0}))).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void giniDoesNotDependOnExpertOrder() {
        assertThat(Gini.of(new ExpertLoad(0, new long[] {0, 2, 0, 6})))
                .isEqualTo(Gini.of(new ExpertLoad(0, new long[] {6, 2, 0, 0})));
    }

    @Test
    void giniOfASingleExpertLayerIsZero() {
        assertThat(Gini.of(new ExpertLoad(0, new long[] {4}))).isZero();
    }

    @Test
    void giniOfAnEmptyLoadIsRefused() {
        assertThatThrownBy(() -> Gini.of(new ExpertLoad(1, new long[] {0, 0, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Gini is undefined for layer 1: no routed tokens");
    }
}
