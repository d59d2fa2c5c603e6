package io.moescope.analytics.imbalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.load.ExpertLoad;
import org.junit.jupiter.api.Test;

class MaxVioTest {

    @Test
    void maxVioIsZeroWhenEveryExpertGetsTheSameLoad() {
        assertThat(MaxVio.of(new ExpertLoad(0, new long[] {2, 2, 2, 2}))).isZero();
    }

    @Test
    void maxVioIsTheHottestExpertsExcessOverTheMeanLoad() {
        // C = 8, N = 4, m = 2, max = 6: (6 - 2) / 2 = 2
        assertThat(MaxVio.of(new ExpertLoad(0, new long[] {6, 2, 0, 0}))).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void maxVioReachesItsUpperBoundNOverKMinusOneWhenAllTokensGoToTheSameKExperts() {
        // N = 8, k = 2, 10 tokens all on experts 0 and 1: m = 20 / 8 = 2.5, (10 - 2.5) / 2.5 = 3 = 8/2 - 1
        assertThat(MaxVio.of(new ExpertLoad(0, new long[] {10, 10, 0, 0, 0, 0, 0, 0})))
                .isCloseTo(3.0, within(1e-12));
    }

    @Test
    void maxVioOfAnEmptyLoadIsRefused() {
        assertThatThrownBy(() -> MaxVio.of(new ExpertLoad(3, new long[] {0, 0})))
                .hasMessage("MaxVio is undefined for layer 3: no routed tokens");
    }
}
