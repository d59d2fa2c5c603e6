package io.moescope.analytics.imbalance;

import io.moescope.analytics.load.ExpertLoad;

/**
 * Maximal violation of balance: {@code (max_i c_i - m) / m} with mean load {@code m = C / N}.
 *
 * <p>Source: Wang et al. 2024, "Auxiliary-Loss-Free Load Balancing Strategy for Mixture-of-Experts",
 * arXiv:2408.15664, Eq. 4. 0 means perfect balance; the upper bound is N/k - 1 (all tokens on the same k experts).
 */
public final class MaxVio {

    private MaxVio() {
    }

    /**
     * @throws IllegalArgumentException when the load holds no routed token (m = 0: MaxVio is undefined)
     */
    public static double of(ExpertLoad load) {
        long total = load.total();
        if (total == 0) {
            throw new IllegalArgumentException("MaxVio is undefined for layer " + load.layer()
                    + ": no routed tokens");
        }
        long max = 0;
        for (long c : load.counts()) {
            max = Math.max(max, c);
        }
        double mean = (double) total / load.numExperts();
        return (max - mean) / mean;
    }
}
