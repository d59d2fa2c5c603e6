package io.moescope.analytics.imbalance;

import io.moescope.analytics.load.ExpertLoad;

/**
 * The smallest and largest expert share p_i = c_i / C of one layer, next to the uniform share 1/N they should be
 * compared with (docs/metrics.md, "Load imbalance").
 *
 * @param layer        decoder layer index
 * @param minShare     min_i p_i
 * @param minExpert    an expert with the smallest share (the lowest id on ties)
 * @param maxShare     max_i p_i; at most 1/k for top-k routing
 * @param maxExpert    an expert with the largest share (the lowest id on ties)
 * @param uniformShare 1/N
 */
public record ShareExtremes(int layer, double minShare, int minExpert, double maxShare, int maxExpert,
                            double uniformShare) {

    /** @throws IllegalArgumentException when the load holds no routed token (shares are undefined) */
    public static ShareExtremes of(ExpertLoad load) {
        if (load.total() == 0) {
            throw new IllegalArgumentException("shares are undefined for layer " + load.layer()
                    + ": no routed tokens");
        }
        double[] shares = load.shares();
        int min = 0;
        int max = 0;
        for (int i = 1; i < shares.length; i++) {
            if (shares[i] < shares[min]) {
                min = i;
            }
            if (shares[i] > shares[max]) {
                max = i;
            }
        }
        return new ShareExtremes(load.layer(), shares[min], min, shares[max], max, 1.0 / shares.length);
    }
}
