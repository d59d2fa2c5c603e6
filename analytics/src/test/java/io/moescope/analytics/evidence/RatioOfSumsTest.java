package io.moescope.analytics.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatioOfSumsTest {

    private static final double Z = 1.959963984540054;

    /**
     * Hits 1, 2, 1, 2 of 2 accesses each: R = 6 / 8 = 0.75, residuals y - R x = -0.5, 0.5, -0.5, 0.5 (squares sum to
     * 1), variance 4/3 * 1 / 8^2, half-width z / (4 sqrt 3) = 0.283; the upper end 1.033 is clipped to 1.
     */
    @Test
    void theIntervalIsTheNormalApproximationWithTheLinearisedVarianceClippedToAShare() {
        RatioOfSums sums = RatioOfSums.NONE.plus(1, 2).plus(2, 2).plus(1, 2).plus(2, 2);

        Interval interval = sums.interval("requests");

        assertThat(sums.ratio()).isEqualTo(0.75);
        assertThat(interval.low()).isCloseTo(0.75 - Z / (4 * Math.sqrt(3)), within(1e-12));
        assertThat(interval.high()).isEqualTo(1.0);
        assertThat(interval.units()).isEqualTo(4);
        assertThat(interval.method()).isEqualTo("normal approximation of a ratio of sums over 4 requests"
                + " (linearised variance), clipped to [0, 1]");
    }

    /** Units of unequal size weigh by their accesses: 0 of 1 and 3 of 3 is R = 3/4, not the mean share 1/2. */
    @Test
    void theRatioIsOfTheSumsNotAMeanOfShares() {
        RatioOfSums sums = RatioOfSums.NONE.plus(0, 1).plus(3, 3);

        // residuals -0.75 and 0.75: variance 2 * 1.125 / 16, half-width z * 1.5 / 4 = 0.735
        assertThat(sums.ratio()).isEqualTo(0.75);
        assertThat(sums.interval("requests").low()).isCloseTo(0.75 - Z * 1.5 / 4, within(1e-12));
    }

    @Test
    void oneUnitHasNoInterval() {
        assertThatThrownBy(() -> RatioOfSums.NONE.plus(1, 2).interval("requests"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no interval from 1 requests: it needs at least 2 with an access");
    }
}
