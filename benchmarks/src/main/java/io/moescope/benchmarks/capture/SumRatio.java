package io.moescope.benchmarks.capture;

/**
 * The extra time of all captured steps over the time of their uncaptured neighbours, {@code sum(extra) / sum(base)}:
 * the mean overhead as a share of decode time, which is what a user pays over a long run. Unlike the mean of the
 * per-pair shares it is not pulled up by pairs whose uncaptured step happened to be short. With a 95 %
 * {@link Bootstrap} interval over the pairs.
 *
 * @param value sum of the extras over sum of the bases
 * @param low   2.5th percentile of the bootstrap ratios
 * @param high  97.5th percentile of the bootstrap ratios
 * @param n     pairs
 */
public record SumRatio(double value, double low, double high, int n) {

    /**
     * @param extra per pair, captured step minus uncaptured step
     * @param base  per pair, the uncaptured step
     */
    static SumRatio of(double[] extra, double[] base, Bootstrap bootstrap) {
        if (extra.length != base.length || extra.length == 0) {
            throw new IllegalArgumentException("a ratio of sums needs as many extras as bases and at least one pair, "
                    + "but had " + extra.length + " and " + base.length);
        }
        double[] interval = bootstrap.interval(extra.length, indices -> {
            double e = 0;
            double b = 0;
            for (int i : indices) {
                e += extra[i];
                b += base[i];
            }
            return e / b;
        });
        return new SumRatio(sum(extra) / sum(base), interval[0], interval[1], extra.length);
    }

    /** This ratio with {@code share} added to the value and both ends of the interval. */
    SumRatio plus(double share) {
        return new SumRatio(value + share, low + share, high + share, n);
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
