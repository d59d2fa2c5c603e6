package io.moescope.analytics.locality;

import java.util.List;

/**
 * Routing consistency of the whole model (Mixtral Table 5, Jiang et al. 2024, arXiv:2401.04088, reports it per
 * layer only): the pair-weighted mean over MoE layers, i.e. every layer's consecutive pairs pooled,
 * {@code sum_l same_l / sum_l pairs_l}. Each token is routed once at every MoE layer, so every layer normally has
 * the same pairs and this is the plain mean of the layer shares; a layer that lost events weighs what it counted.
 * The random baselines are pooled the same way (they are equal across layers when N and k are).
 *
 * @param layers                  MoE layers with at least one pair
 * @param pairs                   consecutive pairs summed over those layers
 * @param sameFirstChoice         pooled share of pairs with the same first-choice expert
 * @param sameFirstChoiceBaseline pooled 1/N
 * @param topKIntersect           pooled share of pairs whose top-k sets intersect
 * @param topKIntersectBaseline   pooled 1 - C(N-k, k) / C(N, k)
 * @param lowestLayer             the layer with the lowest same-first-choice share (least temporal locality;
 *                                the lowest index on ties)
 * @param highestLayer            the layer with the highest same-first-choice share (the lowest index on ties)
 */
public record ModelConsistency(int layers, long pairs, double sameFirstChoice, double sameFirstChoiceBaseline,
                               double topKIntersect, double topKIntersectBaseline, int lowestLayer,
                               int highestLayer) {

    /** @throws IllegalArgumentException when no layer has a pair */
    public static ModelConsistency of(List<RoutingConsistency> byLayer) {
        if (byLayer.isEmpty()) {
            throw new IllegalArgumentException("routing consistency needs a consecutive token pair (t, t+1) of one "
                    + "request at some layer");
        }
        long pairs = 0;
        long same = 0;
        long intersecting = 0;
        double sameBaseline = 0;
        double intersectBaseline = 0;
        RoutingConsistency lowest = byLayer.get(0);
        RoutingConsistency highest = byLayer.get(0);
        for (RoutingConsistency layer : byLayer) {
            pairs += layer.pairs();
            same += layer.sameFirstChoicePairs();
            intersecting += layer.intersectingPairs();
            sameBaseline += layer.pairs() * layer.sameFirstChoiceBaseline();
            intersectBaseline += layer.pairs() * layer.intersectingBaseline();
            lowest = layer.sameFirstChoiceShare() < lowest.sameFirstChoiceShare() ? layer : lowest;
            highest = layer.sameFirstChoiceShare() > highest.sameFirstChoiceShare() ? layer : highest;
        }
        return new ModelConsistency(byLayer.size(), pairs, (double) same / pairs, sameBaseline / pairs,
                (double) intersecting / pairs, intersectBaseline / pairs, lowest.layer(), highest.layer());
    }
}
