package io.moescope.analytics.collapse;

import io.moescope.analytics.load.ExpertLoad;

/**
 * The largest expert share {@code max_i p_i} against the uniform share 1/N (docs/metrics.md, "Collapse"). With top-k
 * routing each token adds at most 1 to an expert's count out of k, so the share can never exceed 1/k.
 *
 * @param layer        decoder layer index
 * @param expert       the dominant expert (lowest id on ties)
 * @param share        max_i p_i
 * @param uniformShare 1/N
 */
public record DominantShare(int layer, int expert, double share, double uniformShare) {

    /** @throws IllegalArgumentException when the load holds no routed token */
    public static DominantShare of(ExpertLoad load) {
        if (load.total() == 0) {
            throw new IllegalArgumentException("dominant share is undefined for layer " + load.layer()
                    + ": no routed tokens");
        }
        double[] shares = load.shares();
        int max = 0;
        for (int i = 1; i < shares.length; i++) {
            if (shares[i] > shares[max]) {
                max = i;
            }
        }
        return new DominantShare(load.layer(), max, shares[max], 1.0 / shares.length);
    }

    /** share / (1/N): 1 = the hottest expert is no hotter than uniform. */
    public double timesUniform() {
        return share / uniformShare;
    }
}
