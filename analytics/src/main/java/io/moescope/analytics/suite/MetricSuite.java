package io.moescope.analytics.suite;

import io.moescope.analytics.coactivation.CoActivationInterval;
import io.moescope.analytics.coactivation.VocabularySpecialisation;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.locality.ModelConsistency;
import io.moescope.analytics.locality.RoutingConsistency;
import io.moescope.analytics.warmup.WarmupSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole routing-metric suite of a run over one token set ({@code GET /api/runs/{runId}/metrics}). The first
 * five fields keep the original shape of that endpoint.
 *
 * @param runId        the run
 * @param tokenSet     which tokens the figures cover, in words
 * @param numExperts   N
 * @param topK         k
 * @param layers       one entry per MoE layer with routed tokens, in layer order
 * @param tokens       tokens in the set (read from the raw decisions)
 * @param countsSource where the counts come from: the rollup (whole run or phase) or the raw decisions
 * @param model        layers aggregated: unweighted mean and worst layer per metric, and the worst verdict
 * @param detailLayer  the layer of warm-up, co-activation and vocabulary specialisation
 * @param warmup       expert-cache simulation at that layer (LRU, LFU, Belady), per request from a cold cache
 * @param coActivation co-activation matrix at that layer, every cell with its 95 % interval
 * @param vocabulary   vocabulary specialisation at that layer (token ids seen at least 10 times), with the 95 %
 *                     interval of its mean over those ids
 * @param modelConsistency routing consistency of the whole model: every layer's consecutive pairs pooled (the
 *                     pair-weighted mean over MoE layers, equal to the plain mean when every layer saw every
 *                     token), with the random baselines and the shares' 95 % intervals; undefined without a
 *                     consecutive pair
 *
 * <p>Routing consistency and warm-up follow each request's tokens in order: for a run whose requests cannot be
 * told apart ({@link RequestSeparation}) they are undefined with the reason; the per-token figures stay.
 */
public record MetricSuite(String runId, String tokenSet, int numExperts, int topK, List<LayerSuite> layers,
                          long tokens, String countsSource, Defined<ModelLoadSummary> model, Integer detailLayer,
                          Defined<WarmupSummary> warmup, Defined<CoActivation> coActivation,
                          Defined<VocabularySpecialisation> vocabulary, Defined<PooledConsistency> modelConsistency) {

    /**
     * Composes the suite of a token set from a finished pass over its raw tokens and its loads per layer.
     *
     * @param tokenSet     which tokens, in words
     * @param loads        per layer: the rollup's where it covers the set exactly, else {@code pass.loads()}
     * @param countsSource where {@code loads} come from, in words
     * @param tau          dead-expert threshold as a fraction of 1/N
     * @param judge        the run's alert rules, which give each layer its verdict
     *
     * <p>Whether the run's requests can be told apart is the pass's ({@link SequencePass#separation}): if not, the
     * sequence metrics (routing consistency, warm-up per request) are undefined with the reason, and the intervals
     * resample blocks of tokens instead of requests.
     */
    public static MetricSuite of(String runId, String tokenSet, int numExperts, int topK, List<ExpertLoad> loads,
                                 String countsSource, SequencePass pass, double tau, RoutingJudge judge) {
        RequestSeparation separation = pass.separation();
        Map<Integer, RoutingConsistency> consistency = pass.consistencyByLayer();
        List<ExpertLoad> nonEmpty = loads.stream().filter(load -> load.total() > 0).toList();
        LoadIntervals intervals = LoadIntervals.of(pass.units(), nonEmpty.stream().map(ExpertLoad::layer).toList(),
                tau);
        var layers = new ArrayList<LayerSuite>(nonEmpty.size());
        for (ExpertLoad load : nonEmpty) {
            RoutingConsistency c = consistency.get(load.layer());
            layers.add(LayerSuite.of(load, tau, judge, separation.sequenceFigure(() -> c == null
                    ? Defined.undefined("no consecutive token pair (t, t+1) of one request at this layer")
                    : Defined.of(LayerSuite.Consistency.of(c, intervals.ofConsistency(load.layer())))), topK,
                    intervals.ofLayer(load.layer())));
        }
        Defined<ModelLoadSummary> model = nonEmpty.isEmpty()
                ? Defined.undefined("no routed token in " + tokenSet)
                : Defined.of(ModelLoadSummary.of(nonEmpty, tau, judge, pass.tokens(), intervals.ofModel()));
        return new MetricSuite(runId, tokenSet, numExperts, topK, layers, pass.tokens(), countsSource, model,
                pass.detailLayer(), separation.sequenceFigure(pass::warmup), pass.coActivation(numExperts),
                pass.vocabulary(), separation.sequenceFigure(
                        () -> Defined.compute(() -> PooledConsistency.of(
                                ModelConsistency.of(List.copyOf(consistency.values())),
                                intervals.ofModelConsistency()))));
    }

    /**
     * This suite with every verdict given by {@code judge} (each layer's from its counts, the model's as the worst of
     * them), everything else as it was computed: a stored suite judged by the alert rules enabled now, equal to what
     * {@link #of} gives with that judge over the same data.
     */
    public MetricSuite judgedBy(RoutingJudge judge) {
        List<LayerSuite> judged = layers.stream().map(layer -> layer.judgedBy(judge)).toList();
        List<Verdict> verdicts = judged.stream().map(LayerSuite::verdict).toList();
        return new MetricSuite(runId, tokenSet, numExperts, topK, judged, tokens, countsSource,
                model.map(summary -> summary.withVerdicts(verdicts)), detailLayer, warmup, coActivation, vocabulary,
                modelConsistency);
    }

    /**
     * {@link ModelConsistency}'s figures with the 95 % intervals of its two shares.
     *
     * @param interval95 sameFirstChoice and topKIntersect: each pooled share's 95 % interval by bootstrap over
     *                   requests (a request's pairs stay together at every layer), or undefined with the reason
     */
    public record PooledConsistency(int layers, long pairs, double sameFirstChoice, double sameFirstChoiceBaseline,
                                    double topKIntersect, double topKIntersectBaseline, int lowestLayer,
                                    int highestLayer, Map<String, Defined<Interval>> interval95) {

        static PooledConsistency of(ModelConsistency c, Map<String, Defined<Interval>> interval95) {
            return new PooledConsistency(c.layers(), c.pairs(), c.sameFirstChoice(), c.sameFirstChoiceBaseline(),
                    c.topKIntersect(), c.topKIntersectBaseline(), c.lowestLayer(), c.highestLayer(), interval95);
        }
    }

    /**
     * @param layer       decoder layer index
     * @param pairs       which pairs of the top-k count (ALL_PAIRS, as in the OLMoE paper)
     * @param matrix      {@code [a][b]} = N(a and b in top-k) / N(a in top-k); a row of an unchosen expert is 0
     * @param timesChosen N(a in top-k) per expert, to tell an unchosen expert's zero row from a real zero, and the
     *                    tokens each row rests on
     * @param interval95  every cell's 95 % interval (a ratio of sums over the requests, else blocks of tokens, with
     *                    its linearised variance), or undefined with the reason (fewer than 2 units)
     */
    public record CoActivation(int layer, String pairs, double[][] matrix, long[] timesChosen,
                               Defined<CoActivationInterval> interval95) {
    }
}
