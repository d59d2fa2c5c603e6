package io.moescope.analytics.evidence;

import java.util.Arrays;

/**
 * A confidence interval of one figure: where the figure would lie over repeated samples of the same kind, so that a
 * reader can tell a real difference from sampling noise.
 *
 * @param low    lower bound
 * @param high   upper bound
 * @param level  coverage, e.g. 0.95
 * @param method how it was computed and over which units, in words (e.g. "bootstrap over 12 requests")
 * @param units  how many independent units it rests on
 */
public record Interval(double low, double high, double level, String method, int units) {

    public static final double LEVEL = 0.95;

    /**
     * The percentile interval at {@link #LEVEL} of a figure's resampled values: the nearest-rank 2.5th and 97.5th
     * percentiles. A resample in which the figure is undefined (NaN) is left out.
     *
     * @throws IllegalArgumentException when no resample defines the figure
     */
    public static Interval percentile(double[] resampled, String method, int units) {
        double[] values = Arrays.stream(resampled).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            throw new IllegalArgumentException("the figure is undefined in every resample");
        }
        double tail = (1 - LEVEL) / 2;
        return new Interval(rank(values, tail), rank(values, 1 - tail), LEVEL, method, units);
    }

    // nearest rank: the smallest value with at least q of the values at or below it
    private static double rank(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length - 1e-9) - 1)];
    }
}
