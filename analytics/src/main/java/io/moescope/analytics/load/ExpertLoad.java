package io.moescope.analytics.load;

import java.util.Arrays;

/**
 * Hard counts of one MoE layer over a set S of routed tokens (docs/metrics.md notation): {@code counts[i]} = c_i, the
 * number of tokens in S whose top-k contains expert i; {@link #total()} = C = |S| * k.
 *
 * @param layer  decoder layer index
 * @param counts c_i per expert; its length is N
 */
public record ExpertLoad(int layer, long[] counts) {

    public ExpertLoad {
        if (counts.length == 0) {
            throw new IllegalArgumentException("layer " + layer + ": a load needs at least one expert");
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("layer " + layer + ": negative count " + c);
            }
        }
        counts = counts.clone();
    }

    public int numExperts() {
        return counts.length;
    }

    /** C = sum of c_i. */
    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** p_i = c_i / C; all zero when no token was routed. */
    public double[] shares() {
        long total = total();
        double[] shares = new double[counts.length];
        if (total > 0) {
            for (int i = 0; i < counts.length; i++) {
                shares[i] = (double) counts[i] / total;
            }
        }
        return shares;
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpertLoad other && layer == other.layer && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return 31 * layer + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ExpertLoad[layer=" + layer + ", counts=" + Arrays.toString(counts) + "]";
    }
}
