package io.moescope.analytics.warmup;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.evidence.RatioOfSums;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Warm-up of one layer's expert cache over the requests of a token set ({@link WarmupAccumulator}).
 *
 * @param settings      what was simulated (N, C, sizes, window, tolerance, JSD threshold)
 * @param requests      requests with at least one token at the layer
 * @param policies      LRU, LFU and Belady (the offline upper bound), in that order
 * @param stabilisation the per-request stabilisation point of the load distribution ({@link StabilisationPoint})
 * @param hitRateInterval95 per policy, the 95 % interval of its hit rate at C, by bootstrap over the requests, or
 *                      undefined with the reason (fewer than 2 requests)
 */
public record WarmupSummary(WarmupAccumulator.Settings settings, int requests, List<PolicyWarmup> policies,
                            IndexStats stabilisation, Map<CachePolicy, Defined<Interval>> hitRateInterval95) {

    public WarmupSummary {
        policies = List.copyOf(policies);
        var byPolicy = new EnumMap<CachePolicy, Defined<Interval>>(CachePolicy.class);
        byPolicy.putAll(hitRateInterval95);
        hitRateInterval95 = Collections.unmodifiableMap(byPolicy);
    }

    /**
     * @param policy            eviction policy
     * @param hitRate           hits / accesses at C over all requests
     * @param capacities        cache sizes
     * @param hitRateByCapacity hit rate at each size, same order
     * @param curve             curve[t] = mean hit rate of token index t at C over the requests that reach t
     * @param settling          per-request settling index of the windowed hit rate ({@link HitRateCurve})
     * @param hitRateByCapacityInterval95 the 95 % interval of the hit rate at each size, same order, by bootstrap
     *                          over the requests (at C the very interval of
     *                          {@link WarmupSummary#hitRateInterval95}), or undefined with the reason (fewer than 2
     *                          requests)
     * @param curveInterval95   the 95 % interval of each curve point, same order: the normal approximation of a
     *                          ratio of sums over the requests that reach t ({@link RatioOfSums}; a bootstrap of
     *                          every point would cost seconds), or undefined with the reason (fewer than 2 such
     *                          requests)
     */
    public record PolicyWarmup(CachePolicy policy, double hitRate, int[] capacities, double[] hitRateByCapacity,
                               double[] curve, IndexStats settling,
                               List<Defined<Interval>> hitRateByCapacityInterval95,
                               List<Defined<Interval>> curveInterval95) {

        public PolicyWarmup {
            capacities = capacities.clone();
            hitRateByCapacity = hitRateByCapacity.clone();
            curve = curve.clone();
            hitRateByCapacityInterval95 = List.copyOf(hitRateByCapacityInterval95);
            curveInterval95 = List.copyOf(curveInterval95);
        }
    }
}
