package io.moescope.probe.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One figure over a bench's pairs of rounds: the median (the figure to quote: one disturbed pair cannot move it),
 * the interquartile range (how much pairs differ), and a 95 % bootstrap interval of the median (how far the quoted
 * median could be off: resampling the pairs with replacement, {@value #RESAMPLES} times, seeded so a report is
 * reproducible from its pairs).
 *
 * @param median median over the pairs
 * @param q1     first quartile (linear interpolation between order statistics)
 * @param q3     third quartile
 * @param low    2.5th percentile of the bootstrap medians
 * @param high   97.5th percentile of the bootstrap medians
 * @param n      pairs
 */
public record Spread(double median, double q1, double q3, double low, double high, int n) {

    static final int RESAMPLES = 2000;
    private static final long SEED = 20261124L;

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no rounds to summarise");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] medians = bootstrapMedians(sorted);
        return new Spread(quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75),
                quantile(medians, 0.025), quantile(medians, 0.975), sorted.length);
    }

    /** The {@code q} quantile of ascending {@code sorted}, interpolating linearly between neighbours. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double[] bootstrapMedians(double[] values) {
        var random = new Random(SEED);
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[values.length];
        for (int i = 0; i < RESAMPLES; i++) {
            for (int j = 0; j < sample.length; j++) {
                sample[j] = values[random.nextInt(values.length)];
            }
            Arrays.sort(sample);
            medians[i] = quantile(sample, 0.5);
        }
        Arrays.sort(medians);
        return medians;
    }
}
