package io.moescope.analytics.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IntervalTest {

    /** Nearest rank of 1..1000: the 2.5th percentile is the 25th value, the 97.5th the 975th. */
    @Test
    void thePercentileIntervalOfAThousandValuesRunsFromThe25thToThe975th() {
        double[] values = IntStream.rangeClosed(1, 1000).map(i -> 1001 - i).asDoubleStream().toArray();

        assertThat(Interval.percentile(values, "bootstrap over 3 requests", 3))
                .isEqualTo(new Interval(25, 975, 0.95, "bootstrap over 3 requests", 3));
    }

    @Test
    void aResampleWithoutTheFigureIsLeftOut() {
        double[] values = {Double.NaN, 2, 1, Double.NaN};

        assertThat(Interval.percentile(values, "m", 2)).isEqualTo(new Interval(1, 2, 0.95, "m", 2));
    }

    @Test
    void aFigureUndefinedInEveryResampleHasNoInterval() {
        assertThatThrownBy(() -> Interval.percentile(new double[] {Double.NaN}, "m", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the figure is undefined in every resample");
    }
}
