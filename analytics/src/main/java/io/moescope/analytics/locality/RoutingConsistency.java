package io.moescope.analytics.locality;

/**
 * Routing consistency of one layer (Mixtral of Experts, Jiang et al. 2024, arXiv:2401.04088, Table 5): over
 * consecutive token pairs (t, t+1) of one request, (a) the share whose first-choice expert is the same and (b) the
 * share whose top-k sets intersect, next to their random baselines. Published for Mixtral 8x7B top-2 on The Pile:
 * layer 0 about 14% / 45-50%, layer 15 about 24-28% / 62-67%, layer 31 about 20-26% / 45-54%; random 12.5% / 46.4%.
 *
 * @param layer                  decoder layer index
 * @param numExperts             N
 * @param topK                   k
 * @param pairs                  consecutive token pairs counted (always &gt;= 1)
 * @param sameFirstChoicePairs   pairs with the same top-1 expert
 * @param intersectingPairs      pairs whose top-k sets share at least one expert
 */
public record RoutingConsistency(int layer, int numExperts, int topK, long pairs, long sameFirstChoicePairs,
                                 long intersectingPairs) {

    public RoutingConsistency {
        if (pairs < 1) {
            throw new IllegalArgumentException("layer " + layer + ": consistency needs at least one token pair");
        }
    }

    /** (a): share of pairs with the same first-choice expert. */
    public double sameFirstChoiceShare() {
        return (double) sameFirstChoicePairs / pairs;
    }

    /** (b): share of pairs whose top-k sets intersect. */
    public double intersectingShare() {
        return (double) intersectingPairs / pairs;
    }

    /** 1/N. */
    public double sameFirstChoiceBaseline() {
        return RandomBaseline.sameFirstChoice(numExperts);
    }

    /** 1 - C(N-k, k) / C(N, k). */
    public double intersectingBaseline() {
        return RandomBaseline.topKIntersect(numExperts, topK);
    }
}
