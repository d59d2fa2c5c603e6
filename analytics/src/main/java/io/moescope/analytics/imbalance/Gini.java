package io.moescope.analytics.imbalance;

import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;

/**
 * Gini coefficient of the expert loads: {@code sum_i sum_j |c_i - c_j| / (2 N^2 m)} with {@code m = C / N}
 * (standard inequality measure, docs/metrics.md; no MoE-specific source). 0 = every expert gets the same load; the
 * maximum for N experts is {@code 1 - 1/N} (all load on one expert).
 */
public final class Gini {

    private Gini() {
    }

    /** @throws IllegalArgumentException when the load holds no routed token (m = 0: Gini is undefined) */
    public static double of(ExpertLoad load) {
        long total = load.total();
        if (total == 0) {
            throw new IllegalArgumentException("Gini is undefined for layer " + load.layer() + ": no routed tokens");
        }
        long[] sorted = load.counts();
        Arrays.sort(sorted);
        int n = sorted.length;
        // With ascending c_(0..n-1): sum_i sum_j |c_i - c_j| = 2 * sum_i (2i - n + 1) c_(i). O(N log N) instead of
        // O(N^2), which matters for 256-expert layers evaluated per window.
        double pairSum = 0;
        for (int i = 0; i < n; i++) {
            pairSum += 2.0 * (2L * i - n + 1) * sorted[i];
        }
        double mean = (double) total / n;
        return pairSum / (2.0 * n * n * mean);
    }
}
