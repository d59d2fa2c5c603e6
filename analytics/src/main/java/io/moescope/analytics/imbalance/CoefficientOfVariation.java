package io.moescope.analytics.imbalance;

import io.moescope.analytics.load.ExpertLoad;

/**
 * Coefficient of variation of the expert loads: population standard deviation of c_i divided by their mean
 * {@code m = C / N}.
 *
 * <p>Source: Shazeer et al. 2017, "Outrageously Large Neural Networks", arXiv:1701.06538, Eq. 7, which uses CV^2 as
 * the importance/load loss. 0 means perfect balance. Identity used in tests: {@code N * sum_i p_i^2 = 1 + CV^2}.
 */
public final class CoefficientOfVariation {

    private CoefficientOfVariation() {
    }

    /** @throws IllegalArgumentException when the load holds no routed token (m = 0: CV is undefined) */
    public static double of(ExpertLoad load) {
        long total = load.total();
        if (total == 0) {
            throw new IllegalArgumentException("CV is undefined for layer " + load.layer() + ": no routed tokens");
        }
        int n = load.numExperts();
        double mean = (double) total / n;
        double sumSquares = 0;
        for (long c : load.counts()) {
            double d = c - mean;
            sumSquares += d * d;
        }
        // Population (divide by N), not sample variance: the N experts are the whole population, not a sample.
        return Math.sqrt(sumSquares / n) / mean;
    }
}
