package io.moescope.analytics.collapse;

import io.moescope.analytics.load.ExpertLoad;

/**
 * Normalised entropy of the load distribution: {@code -sum_i p_i ln p_i / ln N} (docs/metrics.md, "Collapse"). 1 means
 * every expert gets the same share, 0 means a single expert gets everything.
 */
public final class NormalisedEntropy {

    private NormalisedEntropy() {
    }

    /**
     * @return the normalised entropy; 1 for a layer with a single expert, which cannot be unbalanced
     * @throws IllegalArgumentException when the load holds no routed token
     */
    public static double of(ExpertLoad load) {
        if (load.total() == 0) {
            throw new IllegalArgumentException("normalised entropy is undefined for layer " + load.layer()
                    + ": no routed tokens");
        }
        if (load.numExperts() == 1) {
            return 1.0;
        }
        return ShannonEntropy.nats(load.shares()) / Math.log(load.numExperts());
    }
}
