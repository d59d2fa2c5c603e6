package io.moescope.benchmarks.capture;

import java.util.Arrays;
import java.util.List;

/**
 * One figure over a bench's pairs: the median (the figure to quote: a few disturbed pairs cannot move it), the
 * interquartile range (how much pairs differ), and a 95 % {@link Bootstrap} interval of the median (how far the
 * quoted median could be off).
 *
 * @param median median over the pairs
 * @param q1     first quartile (linear interpolation between order statistics)
 * @param q3     third quartile
 * @param low    2.5th percentile of the bootstrap medians
 * @param high   97.5th percentile of the bootstrap medians
 * @param n      pairs
 */
public record Spread(double median, double q1, double q3, double low, double high, int n) {

    public static Spread of(List<Double> values) {
        return of(values, Bootstrap.seeded());
    }

    static Spread of(List<Double> values, Bootstrap bootstrap) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no pairs to summarise");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] interval = bootstrap.interval(sorted.length, indices -> {
            double[] sample = new double[indices.length];
            for (int j = 0; j < indices.length; j++) {
                sample[j] = sorted[indices[j]];
            }
            Arrays.sort(sample);
            return Bootstrap.quantile(sample, 0.5);
        });
        return new Spread(Bootstrap.quantile(sorted, 0.5), Bootstrap.quantile(sorted, 0.25),
                Bootstrap.quantile(sorted, 0.75), interval[0], interval[1], sorted.length);
    }
}
