package io.moescope.analytics.warmup;

import java.util.List;

/**
 * Warm-up of one layer's expert cache over the requests of a token set ({@link WarmupAccumulator}).
 *
 * @param settings      what was simulated (N, C, sizes, window, tolerance, JSD threshold)
 * @param requests      requests with at least one token at the layer
 * @param policies      LRU, LFU and Belady (the offline upper bound), in that order
 * @param stabilisation the per-request stabilisation point of the load distribution ({@link StabilisationPoint})
 */
public record WarmupSummary(WarmupAccumulator.Settings settings, int requests, List<PolicyWarmup> policies,
                            IndexStats stabilisation) {

    public WarmupSummary {
        policies = List.copyOf(policies);
    }

    /**
     * @param policy            eviction policy
     * @param hitRate           hits / accesses at C over all requests
     * @param capacities        cache sizes
     * @param hitRateByCapacity hit rate at each size, same order
     * @param curve             curve[t] = mean hit rate of token index t at C over the requests that reach t
     * @param settling          per-request settling index of the windowed hit rate ({@link HitRateCurve})
     */
    public record PolicyWarmup(CachePolicy policy, double hitRate, int[] capacities, double[] hitRateByCapacity,
                               double[] curve, IndexStats settling) {

        public PolicyWarmup {
            capacities = capacities.clone();
            hitRateByCapacity = hitRateByCapacity.clone();
            curve = curve.clone();
        }
    }
}
