package io.moescope.analytics.evidence;

import static io.moescope.analytics.evidence.Tokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.imbalance.MaxVio;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static final Function<Bootstrap.Resample, double[]> MAX_VIO =
            resample -> new double[] {MaxVio.of(resample.loads().get(0))};

    /**
     * Request a: [0,1] [0,2] -> counts 2 1 1 0, MaxVio (2-1)/1 = 1. Request b: [1,0] [3,2] -> 1 1 1 1, MaxVio 0.
     * A resample is aa, ab, ba or bb with probability 1/4 each; ab and ba give 3 2 2 1, MaxVio 0.5, between the
     * two. So the 2.5th percentile is bb's 0 and the 97.5th aa's 1.
     */
    @Test
    void overTwoRequestsTheIntervalRunsFromOneRequestAloneToTheOtherAlone() {
        var units = ResamplingUnits.requests(4);
        units.accept(token("a", 0, 0, 1));
        units.accept(token("a", 1, 0, 2));
        units.accept(token("b", 0, 1, 0));
        units.accept(token("b", 1, 3, 2));

        assertThat(Bootstrap.resample(units, MAX_VIO).interval(0))
                .isEqualTo(new Interval(0.0, 1.0, 0.95, "bootstrap over 2 requests", 2));
    }

    @Test
    void identicalUnitsGiveADegenerateInterval() {
        var units = ResamplingUnits.requests(4);
        for (String request : new String[] {"a", "b", "c"}) {
            units.accept(token(request, 0, 0, 1));
            units.accept(token(request, 1, 0, 2));
        }

        Interval interval = Bootstrap.resample(units, MAX_VIO).interval(0);
        assertThat(interval.low()).isEqualTo(1.0);
        assertThat(interval.high()).isEqualTo(1.0);
    }

    @Test
    void oneUnitHasNoIntervalAndSaysWhy() {
        var units = ResamplingUnits.requests(4);
        units.accept(token("a", 0, 0, 1));

        assertThatThrownBy(() -> Bootstrap.resample(units, MAX_VIO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no interval from 1 unit(s) of resampling (bootstrap over 1 requests): it needs at"
                        + " least 2");
    }

    @Test
    void theSameDataGivesTheSameInterval() {
        assertThat(Bootstrap.resample(tenRequests(), MAX_VIO).interval(0))
                .isEqualTo(Bootstrap.resample(tenRequests(), MAX_VIO).interval(0));
    }

    /** Request r sends its r + 1 tokens to expert r % 4 and one token to expert 3: loads that differ by request. */
    private static ResamplingUnits tenRequests() {
        var units = ResamplingUnits.requests(4);
        for (int r = 0; r < 10; r++) {
            for (int t = 0; t <= r; t++) {
                units.accept(token("r" + r, t, r % 4));
            }
            units.accept(token("r" + r, r + 1, 3));
        }
        return units;
    }

    /**
     * Values 0.5 and 1.0: a resample's mean is 0.5 (both draws 0.5), 0.75 or 1.0 with probability 1/4, 1/2, 1/4, so
     * the 2.5th percentile is 0.5 and the 97.5th is 1.0.
     */
    @Test
    void theIntervalOfAMeanOfTwoValuesRunsFromOneValueToTheOther() {
        assertThat(Bootstrap.ofMean(new double[] {0.5, 1.0}, "bootstrap over 2 token ids"))
                .isEqualTo(new Interval(0.5, 1.0, 0.95, "bootstrap over 2 token ids", 2));
    }

    /**
     * Pins the exact interval of sorted shares max/c (c from 10 to 49) at sizes from 2 to 30,000, powers of 2
     * included: the draws, their order and every sum's order are part of the result, so any change to how the
     * bootstrap runs must leave these doubles as they are.
     */
    @Test
    void theIntervalOfAMeanIsTheSameToTheLastBit() {
        assertThat(intervalOfShares(2)).containsExactly(0.3611111111111111, 0.7);
        assertThat(intervalOfShares(3)).containsExactly(0.40425531914893614, 0.9);
        assertThat(intervalOfShares(7)).containsExactly(0.42370332936865546, 0.7751807385548573);
        assertThat(intervalOfShares(64)).containsExactly(0.5107789400523709, 0.6483241684155471);
        assertThat(intervalOfShares(1000)).containsExactly(0.5040236796965777, 0.5391067127692815);
        assertThat(intervalOfShares(30000)).containsExactly(0.5185796248119068, 0.5249055633198819);
    }

    private static double[] intervalOfShares(int n) {
        var random = new SplittableRandom(n);
        double[] shares = new double[n];
        for (int i = 0; i < n; i++) {
            int occurrences = 10 + random.nextInt(40);
            shares[i] = (double) (1 + random.nextInt(occurrences)) / occurrences;
        }
        Arrays.sort(shares);
        Interval interval = Bootstrap.ofMean(shares, "m");
        return new double[] {interval.low(), interval.high()};
    }

    @Test
    void theMeanOfEqualValuesHasADegenerateInterval() {
        assertThat(Bootstrap.ofMean(new double[] {0.25, 0.25, 0.25}, "m"))
                .isEqualTo(new Interval(0.25, 0.25, 0.95, "m", 3));
    }

    @Test
    void theMeanOfOneValueHasNoInterval() {
        assertThatThrownBy(() -> Bootstrap.ofMean(new double[] {0.5}, "bootstrap over 1 token ids"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no interval from 1 unit(s) of resampling"
                        + " (bootstrap over 1 token ids): it needs at least 2");
    }
}
