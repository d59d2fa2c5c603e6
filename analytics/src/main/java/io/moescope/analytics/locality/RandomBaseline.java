package io.moescope.analytics.locality;

/**
 * What routing consistency would be if each token drew its top-k uniformly at random, independently of the
 * previous token: the reference line for the Mixtral paper's Table 5 (Jiang et al. 2024, arXiv:2401.04088).
 */
public final class RandomBaseline {

    private RandomBaseline() {
    }

    /** P(same first choice) = 1/N; 12.5% for 8 experts. */
    public static double sameFirstChoice(int numExperts) {
        check(numExperts, 1);
        return 1.0 / numExperts;
    }

    /**
     * P(two random top-k sets intersect) = 1 - C(N-k, k) / C(N, k); 46.4% for 8 experts top-2
     * (1 - 15/28 = 13/28). The ratio is computed as the product of (N-k-i)/(N-i), i &lt; k, which avoids the
     * overflow of the binomials for large N and is 0 (so the result is 1) when 2k &gt; N.
     */
    public static double topKIntersect(int numExperts, int topK) {
        check(numExperts, topK);
        double disjoint = 1;
        for (int i = 0; i < topK; i++) {
            disjoint *= Math.max(0, numExperts - topK - i) / (double) (numExperts - i);
        }
        return 1 - disjoint;
    }

    private static void check(int numExperts, int topK) {
        if (topK < 1 || topK > numExperts) {
            throw new IllegalArgumentException("need 1 <= k <= N but k = " + topK + ", N = " + numExperts);
        }
    }
}
