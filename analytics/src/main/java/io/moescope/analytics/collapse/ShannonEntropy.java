package io.moescope.analytics.collapse;

/**
 * Shannon entropy {@code -sum_i p_i ln p_i} in nats, the one computation of it: for the load metrics here and for
 * each token's router entropy (the router rules in traces).
 */
public final class ShannonEntropy {

    private ShannonEntropy() {
    }

    /** Of a distribution that sums to 1, with 0 ln 0 = 0 (the limit), so zero shares contribute nothing. */
    public static double nats(double[] p) {
        double entropy = 0;
        for (double v : p) {
            if (v > 0) {
                entropy -= v * Math.log(v);
            }
        }
        return entropy;
    }
}
