package io.moescope.analytics.warmup;

import java.util.List;

/**
 * Simulates a per-layer expert cache of C experts over a token sequence (mixtral-offloading, Eliseev &amp; Mazur
 * 2023, arXiv:2312.17238): a token's expert is a hit if it is resident when the token needs it; a miss loads it,
 * evicting one expert by the {@link CachePolicy} when the cache is full. A token's k experts are accessed one after
 * another in rank order (the offloading code runs experts sequentially), so C may even be smaller than k. The cache
 * starts empty: the first uses are the cold start the warm-up curve shows.
 */
public final class ExpertCacheSimulator {

    private ExpertCacheSimulator() {
    }

    /**
     * @param sequence   one layer's top-k expert ids per token, in token order, {@code [tokens][k]}
     * @param numExperts N; ids must be in [0, N)
     * @param capacity   C &gt;= 1
     * @throws IllegalArgumentException on C &lt; 1, an id out of range, or a token with a different k
     */
    public static CacheTrace simulate(List<int[]> sequence, int numExperts, int capacity, CachePolicy policy) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be >= 1 but was " + capacity);
        }
        int k = validate(sequence, numExperts);
        int[] hits = new int[sequence.size()];
        if (policy == CachePolicy.BELADY) {
            BeladyCache.run(sequence, numExperts, capacity, hits);
            return new CacheTrace(policy, capacity, k, hits);
        }
        var cache = new OnlineCache(numExperts, capacity, policy == CachePolicy.LFU);
        for (int t = 0; t < hits.length; t++) {
            for (int expert : sequence.get(t)) {
                if (cache.access(expert)) {
                    hits[t]++;
                }
            }
        }
        return new CacheTrace(policy, capacity, k, hits);
    }

    /**
     * Hit rate vs cache size: the overall hit rate for each C in {@code capacities}, in the same order.
     */
    public static double[] hitRateByCapacity(List<int[]> sequence, int numExperts, CachePolicy policy,
                                             int... capacities) {
        double[] rates = new double[capacities.length];
        for (int i = 0; i < capacities.length; i++) {
            rates[i] = simulate(sequence, numExperts, capacities[i], policy).hitRate();
        }
        return rates;
    }

    private static int validate(List<int[]> sequence, int numExperts) {
        if (numExperts < 1) {
            throw new IllegalArgumentException("numExperts must be >= 1 but was " + numExperts);
        }
        int k = sequence.isEmpty() ? 0 : sequence.get(0).length;
        for (int t = 0; t < sequence.size(); t++) {
            int[] ids = sequence.get(t);
            if (ids.length != k || k == 0) {
                throw new IllegalArgumentException("token " + t + " has " + ids.length + " experts, token 0 has " + k);
            }
            for (int id : ids) {
                if (id < 0 || id >= numExperts) {
                    throw new IllegalArgumentException("token " + t + ": expert id " + id + " out of range for "
                            + numExperts + " experts");
                }
            }
        }
        return k;
    }
}
