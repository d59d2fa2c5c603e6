package io.moescope.analytics.warmup;

import java.util.Arrays;

/**
 * Per-token outcome of a simulated expert cache over one layer's token sequence.
 *
 * @param policy   eviction policy
 * @param capacity C, experts resident at once
 * @param topK     expert accesses per token (k)
 * @param hits     hits[t] = how many of token t's k experts were resident, 0..k
 */
public record CacheTrace(CachePolicy policy, int capacity, int topK, int[] hits) {

    public CacheTrace {
        hits = hits.clone();
    }

    public int tokens() {
        return hits.length;
    }

    /** hits[t]; saves a copy of the whole array in loops. */
    public int hitsAt(int token) {
        return hits[token];
    }

    /** Hits of all tokens: the numerator of {@link #hitRate}. */
    public long totalHits() {
        long total = 0;
        for (int h : hits) {
            total += h;
        }
        return total;
    }

    /**
     * Hit rate over all accesses: hits / (tokens x k).
     *
     * @throws IllegalArgumentException for an empty sequence
     */
    public double hitRate() {
        return HitRateCurve.rate(this, 0, hits.length);
    }

    @Override
    public int[] hits() {
        return hits.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheTrace other && policy == other.policy && capacity == other.capacity
                && topK == other.topK && Arrays.equals(hits, other.hits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hits) * 31 + capacity;
    }

    @Override
    public String toString() {
        return "CacheTrace[policy=" + policy + ", capacity=" + capacity + ", tokens=" + hits.length + "]";
    }
}
