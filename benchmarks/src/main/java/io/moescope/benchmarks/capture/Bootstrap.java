package io.moescope.benchmarks.capture;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * A 95 % bootstrap interval of a statistic over paired measurements: the pairs are resampled with replacement
 * {@code resamples} times, the statistic computed on each resample, and the 2.5th and 97.5th percentiles of those
 * values taken (linear interpolation between order statistics). Seeded, so that a report is reproducible from its
 * measurements.
 */
final class Bootstrap {

    static final int RESAMPLES = 2000;
    private static final long SEED = 20261124L;

    /** Draws the indices of one resample of {@code n} measurements. */
    @FunctionalInterface
    interface Draws {
        int[] resample(int n);
    }

    private final int resamples;
    private final Draws draws;

    Bootstrap(int resamples, Draws draws) {
        this.resamples = resamples;
        this.draws = draws;
    }

    /** {@value #RESAMPLES} resamples from a {@link Random} with a fixed seed. */
    static Bootstrap seeded() {
        var random = new Random(SEED);
        return new Bootstrap(RESAMPLES, n -> {
            int[] indices = new int[n];
            for (int j = 0; j < n; j++) {
                indices[j] = random.nextInt(n);
            }
            return indices;
        });
    }

    /**
     * @param n         measurements
     * @param statistic the statistic over the measurements at the given indices (repeats allowed)
     * @return {@code {low, high}}: the 2.5th and 97.5th percentiles of the statistic over the resamples
     */
    double[] interval(int n, ToDoubleFunction<int[]> statistic) {
        double[] values = new double[resamples];
        for (int i = 0; i < resamples; i++) {
            values[i] = statistic.applyAsDouble(draws.resample(n));
        }
        Arrays.sort(values);
        return new double[] {quantile(values, 0.025), quantile(values, 0.975)};
    }

    /** The {@code q} quantile of ascending {@code sorted}, interpolating linearly between neighbours. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
