package io.moescope.analytics.suite;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.model.LayerAggregate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * @param tokens            the tokens of the set, the sample every figure rests on
 * @param interval95        per figure above (by its name), the 95 % interval of its mean over layers, or undefined
 *                          with the reason ({@link LoadIntervals})
 */
public record ModelLoadSummary(LayerAggregate maxVio, LayerAggregate cv, LayerAggregate gini,
                               LayerAggregate normalisedEntropy, LayerAggregate effectiveExperts,
                               LayerAggregate deadExperts, LayerAggregate dominantShare, Verdict worstVerdict,
                               List<Verdict> verdicts, List<Integer> emptyLayers, long tokens,
                               Map<String, Defined<Interval>> interval95) {

    public ModelLoadSummary {
        verdicts = List.copyOf(verdicts);
        emptyLayers = List.copyOf(emptyLayers);
    }

    /** The same figures with other layer verdicts (in the same layer order) and their worst. */
    ModelLoadSummary withVerdicts(List<Verdict> judged) {
        return new ModelLoadSummary(maxVio, cv, gini, normalisedEntropy, effectiveExperts, deadExperts, dominantShare,
                RoutingJudge.worst(judged), judged, emptyLayers, tokens, interval95);
    }

    /**
     * @param tau        dead-expert threshold as a fraction of 1/N
     * @param judge      the run's alert rules, which give each layer its verdict
     * @param tokens     the tokens of the set
     * @param interval95 the intervals of the figures' means over layers, by figure name
     * @throws IllegalArgumentException when no layer holds a routed token
     */
    public static ModelLoadSummary of(List<ExpertLoad> loads, double tau, RoutingJudge judge, long tokens,
                                      Map<String, Defined<Interval>> interval95) {
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
        List<LoadFigure> figures = LoadFigure.ofModel(tau);
        double[][] values = new double[figures.size()][n];
        var verdicts = new ArrayList<Verdict>(n);
        for (int i = 0; i < n; i++) {
            ExpertLoad load = nonEmpty.get(i);
            layers[i] = load.layer();
            for (int f = 0; f < figures.size(); f++) {
                values[f][i] = figures.get(f).of().applyAsDouble(load);
            }
            verdicts.add(judge.judge(load));
        }
        var aggregates = new LayerAggregate[figures.size()];
        for (int f = 0; f < figures.size(); f++) {
            aggregates[f] = LayerAggregate.of(layers, values[f], figures.get(f).higherIsWorse());
        }
        // the order of LoadFigure.ofModel
        return new ModelLoadSummary(aggregates[0], aggregates[1], aggregates[2], aggregates[3], aggregates[4],
                aggregates[5], aggregates[6], RoutingJudge.worst(verdicts), verdicts, empty, tokens, interval95);
    }
}
