package io.moescope.probe.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Median and range of one figure over a bench's rounds: on a machine whose load changes from round to round the
 * median is the figure to quote and the range says how far a single round could be trusted.
 */
public record Spread(double median, double min, double max) {

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no rounds to summarise");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1]);
    }
}
