package io.moescope.analytics.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatioOfSumsTest {

    private static final double EXACT = 1e-12;

    /**
     * Units (y, x) = (1, 2) and (3, 4): R = 4/6 = 2/3, residuals 1 - 2 * 2/3 = -1/3 and 3 - 4 * 2/3 = 1/3,
     * Var = 2/1 * (1/9 + 1/9) / 6^2 = 1/81, se = 1/9.
     */
    @Test
    void theStandardErrorIsTheLinearisedClusterRobustOne() {
        RatioOfSums sums = RatioOfSums.EMPTY.plus(1, 2).plus(3, 4);

        assertThat(sums).isEqualTo(new RatioOfSums(2, 4, 6, 10, 14, 20));
        assertThat(sums.ratio()).isCloseTo(2.0 / 3, within(EXACT));
        assertThat(sums.standardError()).isCloseTo(1.0 / 9, within(EXACT));
    }

    @Test
    void theIntervalRunsOneNinetySixStandardErrorsEitherSide() {
        Interval interval = RatioOfSums.EMPTY.plus(1, 2).plus(3, 4).shareInterval95("2 requests");

        assertThat(interval.low()).isCloseTo(2.0 / 3 - 1.96 / 9, within(EXACT));
        assertThat(interval.high()).isCloseTo(2.0 / 3 + 1.96 / 9, within(EXACT));
        assertThat(interval.level()).isEqualTo(0.95);
        assertThat(interval.method()).isEqualTo("normal approximation over 2 requests (ratio of sums, linearised)");
        assertThat(interval.units()).isEqualTo(2);
    }

    /**
     * Units (1, 1) and (0, 1): R = 1/2, residuals 1/2 and -1/2, Var = 2 * (1/4 + 1/4) / 4 = 1/4, se = 1/2: 0.5 +-
     * 0.98 is clipped to the range of a share.
     */
    @Test
    void theIntervalOfAShareIsClippedToZeroAndOne() {
        RatioOfSums sums = RatioOfSums.EMPTY.plus(1, 1).plus(0, 1);

        assertThat(sums.standardError()).isCloseTo(0.5, within(EXACT));
        Interval interval = sums.shareInterval95("2 requests");
        assertThat(interval.low()).isEqualTo(0.0);
        assertThat(interval.high()).isEqualTo(1.0);
    }

    /** Units (2, 4) and (1, 2) have the same share 1/2: no spread between units, an interval of width 0. */
    @Test
    void unitsWithTheSameShareGiveAnIntervalOfWidthZero() {
        Interval interval = RatioOfSums.EMPTY.plus(2, 4).plus(1, 2).shareInterval95("2 requests");

        assertThat(interval.low()).isCloseTo(0.5, within(EXACT));
        assertThat(interval.high()).isCloseTo(0.5, within(EXACT));
    }

    @Test
    void oneUnitGivesNoInterval() {
        assertThatThrownBy(() -> RatioOfSums.EMPTY.plus(1, 2).shareInterval95("1 requests"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no interval from 1 unit(s): it needs at least 2");
    }

    @Test
    void unitsWithoutAnEventGiveNoRatio() {
        assertThatThrownBy(() -> RatioOfSums.EMPTY.plus(0, 0).plus(0, 0).shareInterval95("2 requests"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the ratio is undefined: no event in 2 unit(s)");
    }
}
