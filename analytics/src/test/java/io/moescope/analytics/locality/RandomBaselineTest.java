package io.moescope.analytics.locality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RandomBaselineTest {

    @Test
    void mixtralsEightExpertsTopTwoGiveTheTable5Baselines() {
        // Mixtral paper, Table 5: 12.5% and 46.4%. 1/8; 1 - C(6,2)/C(8,2) = 1 - 15/28 = 13/28 = 0.4642857
        assertThat(RandomBaseline.sameFirstChoice(8)).isEqualTo(0.125);
        assertThat(RandomBaseline.topKIntersect(8, 2)).isCloseTo(13.0 / 28, within(1e-15));
    }

    @Test
    void olmoesSixtyFourExpertsTopEightIsComputedWithoutOverflow() {
        // 1 - C(56,8)/C(64,8) = 0.6790689102 (exact binomials, Python math.comb)
        assertThat(RandomBaseline.topKIntersect(64, 8)).isCloseTo(0.6790689102, within(1e-9));
    }

    @Test
    void topKSetsAlwaysIntersectWhenTwoKExceedsN() {
        assertThat(RandomBaseline.topKIntersect(3, 2)).isEqualTo(1.0);
        assertThat(RandomBaseline.topKIntersect(4, 4)).isEqualTo(1.0);
    }

    @Test
    void topOneIntersectionIsTheSameAsSameFirstChoice() {
        assertThat(RandomBaseline.topKIntersect(8, 1)).isCloseTo(0.125, within(1e-15));
    }

    @Test
    void aSingleExpertAlwaysRepeats() {
        assertThat(RandomBaseline.sameFirstChoice(1)).isEqualTo(1.0);
        assertThat(RandomBaseline.topKIntersect(1, 1)).isEqualTo(1.0);
    }

    @Test
    void kAboveNIsRefused() {
        assertThatThrownBy(() -> RandomBaseline.topKIntersect(2, 3)).hasMessage("need 1 <= k <= N but k = 3, N = 2");
    }
}
