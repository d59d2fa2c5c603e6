package io.moescope.analytics.drift;

import io.moescope.analytics.load.ExpertLoad;

/**
 * Jensen-Shannon divergence between two load distributions p and q over the same N experts:
 * {@code JSD(p, q) = KL(p || m) / 2 + KL(q || m) / 2} with {@code m = (p + q) / 2} (Lin 1991, "Divergence measures
 * based on the Shannon entropy"). Symmetric, always finite (m &gt; 0 wherever p or q is), 0 iff p = q.
 *
 * <p>Log base: {@link #nats} uses the natural log and is bounded by ln 2 = 0.693; {@link #bits} uses base 2 and
 * is bounded by 1. Thresholds must say which one they mean; moescope's stabilisation point uses nats.
 */
public final class JensenShannon {

    private static final double LN2 = Math.log(2);

    private JensenShannon() {
    }

    /**
     * @param p a distribution over N experts (non-negative; normalised here, so raw counts work too)
     * @param q a distribution over the same N experts
     * @return JSD in nats, in [0, ln 2]
     * @throws IllegalArgumentException when the lengths differ, a value is negative or a side sums to zero
     */
    public static double nats(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions over " + p.length + " and " + q.length
                    + " experts cannot be compared");
        }
        double sumP = sum(p, "first");
        double sumQ = sum(q, "second");
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sumP;
            double qi = q[i] / sumQ;
            double mi = (pi + qi) / 2;
            // 0 ln 0 = 0: an expert absent from one side contributes only through the other. Adding the two
            // sides before accumulating keeps JSD(p, q) == JSD(q, p) bit for bit (a + b is commutative).
            double fromP = pi > 0 ? pi * Math.log(pi / mi) : 0;
            double fromQ = qi > 0 ? qi * Math.log(qi / mi) : 0;
            divergence += (fromP + fromQ) / 2;
        }
        // Rounding can leave a tiny negative for identical inputs; the true value is never below 0.
        return Math.max(0, Math.min(divergence, LN2));
    }

    /** JSD in bits (base-2 log), in [0, 1]. */
    public static double bits(double[] p, double[] q) {
        return nats(p, q) / LN2;
    }

    /** JSD in nats between the share distributions of two loads of the same layer shape. */
    public static double nats(ExpertLoad a, ExpertLoad b) {
        return nats(toDouble(a.counts()), toDouble(b.counts()));
    }

    static double[] toDouble(long[] counts) {
        double[] d = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            d[i] = counts[i];
        }
        return d;
    }

    private static double sum(double[] d, String side) {
        double sum = 0;
        for (double v : d) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("the " + side + " distribution has an invalid entry " + v);
            }
            sum += v;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("the " + side + " distribution is empty (sums to zero)");
        }
        return sum;
    }
}
