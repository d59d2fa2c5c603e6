package io.moescope.analytics.model;

import io.moescope.analytics.collapse.DeadExperts;
import io.moescope.analytics.collapse.DominantShare;
import io.moescope.analytics.collapse.EffectiveExperts;
import io.moescope.analytics.collapse.NormalisedEntropy;
import io.moescope.analytics.imbalance.CoefficientOfVariation;
import io.moescope.analytics.imbalance.Gini;
import io.moescope.analytics.imbalance.MaxVio;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.analytics.load.ExpertLoad;
import java.util.ArrayList;
import java.util.List;

/**
 * Model-level view of per-layer loads over one token set: every metric as the unweighted mean over layers plus
 * the worst layer ({@link LayerAggregate}), and the worst layer {@link Verdict} of the alert rules (BREACH over
 * NEAR over OK, lowest layer on ties). Layers in which no token was routed have no defined metric: they are left out of
 * the aggregates and listed in {@code emptyLayers} instead.
 *
 * @param maxVio            MaxVio: mean and highest layer
 * @param cv                CV: mean and highest layer
 * @param gini              Gini: mean and highest layer
 * @param normalisedEntropy normalised entropy: mean and lowest layer
 * @param effectiveExperts  exp(H): mean and lowest layer
 * @param deadExperts       dead experts (p_i &lt; tau / N): mean count per layer and the
 *                          layer with the most
 * @param dominantShare     max_i p_i: mean and highest layer
 * @param worstVerdict      the most severe layer verdict
 * @param verdicts          one verdict per non-empty layer, in input order
 * @param emptyLayers       layers with no routed token
 */
public record ModelLoadSummary(LayerAggregate maxVio, LayerAggregate cv, LayerAggregate gini,
                               LayerAggregate normalisedEntropy, LayerAggregate effectiveExperts,
                               LayerAggregate deadExperts, LayerAggregate dominantShare, Verdict worstVerdict, List<Verdict> verdicts, List<Integer> emptyLayers) {

    public ModelLoadSummary {
        verdicts = List.copyOf(verdicts);
        emptyLayers = List.copyOf(emptyLayers);
    }

    /**
     * @param tau   dead-expert threshold as a fraction of 1/N
     * @param judge the run's alert rules, which give each layer its verdict
     * @throws IllegalArgumentException when no layer holds a routed token
     */
    public static ModelLoadSummary of(List<ExpertLoad> loads, double tau, RoutingJudge judge) {
        var nonEmpty = new ArrayList<ExpertLoad>();
        var empty = new ArrayList<Integer>();
        for (ExpertLoad load : loads) {
            if (load.total() == 0) {
                empty.add(load.layer());
            } else {
                nonEmpty.add(load);
            }
        }
        if (nonEmpty.isEmpty()) {
            throw new IllegalArgumentException("no layer holds a routed token (" + loads.size() + " layers given)");
        }
        int n = nonEmpty.size();
        int[] layers = new int[n];
        double[][] values = new double[7][n];
        var verdicts = new ArrayList<Verdict>(n);
        for (int i = 0; i < n; i++) {
            ExpertLoad load = nonEmpty.get(i);
            layers[i] = load.layer();
            values[0][i] = MaxVio.of(load);
            values[1][i] = CoefficientOfVariation.of(load);
            values[2][i] = Gini.of(load);
            values[3][i] = NormalisedEntropy.of(load);
            values[4][i] = EffectiveExperts.of(load);
            values[5][i] = DeadExperts.of(load, tau).deadCount();
            values[6][i] = DominantShare.of(load).share();
            verdicts.add(judge.judge(load));
        }
        Verdict worst = RoutingJudge.worst(verdicts);
        return new ModelLoadSummary(LayerAggregate.of(layers, values[0], true),
                LayerAggregate.of(layers, values[1], true), LayerAggregate.of(layers, values[2], true),
                LayerAggregate.of(layers, values[3], false), LayerAggregate.of(layers, values[4], false),
                LayerAggregate.of(layers, values[5], true), LayerAggregate.of(layers, values[6], true),
                worst, verdicts, empty);
    }
}
