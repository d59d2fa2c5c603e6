package io.moescope.analytics.collapse;

import io.moescope.analytics.load.ExpertLoad;

/**
 * Effective number of experts: {@code exp(-sum_i p_i ln p_i)}, the perplexity of the load distribution
 * (docs/metrics.md, "Collapse"). N when every expert gets the same share, 1 when one expert gets everything; for top-k
 * routing the smallest reachable value is k (all tokens on the same k experts).
 */
public final class EffectiveExperts {

    private EffectiveExperts() {
    }

    /** @throws IllegalArgumentException when the load holds no routed token */
    public static double of(ExpertLoad load) {
        if (load.total() == 0) {
            throw new IllegalArgumentException("effective experts are undefined for layer " + load.layer()
                    + ": no routed tokens");
        }
        return Math.exp(ShannonEntropy.nats(load.shares()));
    }
}
