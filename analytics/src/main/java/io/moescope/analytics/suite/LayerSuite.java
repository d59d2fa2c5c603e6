package io.moescope.analytics.suite;

import io.moescope.analytics.collapse.DeadExperts;
import io.moescope.analytics.collapse.DominantShare;
import io.moescope.analytics.collapse.EffectiveExperts;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.analytics.imbalance.LoadImbalance;
import io.moescope.analytics.imbalance.ShareExtremes;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.judgement.Verdict;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.locality.RoutingConsistency;
import io.moescope.analytics.summary.LayerLoadMetrics;
import java.util.Map;

/**
 * Every count-based metric of one layer over a token set, plus its routing consistency. The first five fields are
 * the original {@code /metrics} shape and must not change (clients depend on them).
 *
 * @param verdict     the layer judged by the run's enabled alert rules ({@link RoutingJudge})
 * @param consistency Mixtral Table 5 figures with their random baselines; undefined without a consecutive pair
 * @param tokens      the tokens routed at this layer, the sample its figures rest on
 * @param interval95  per figure (by its field name; dominantShare for maxShare and the dominant share alike, and
 *                    deadExperts for their count), its 95 % interval or undefined with the reason
 *                    ({@link LoadIntervals})
 */
public record LayerSuite(int layer, long[] counts, double[] shares, double maxVio, double normalisedEntropy,
                         double cv, double gini, double minShare, int minExpert, double maxShare, int maxExpert,
                         double uniformShare, double effectiveExperts, DeadExperts deadExperts,
                         DominantShare dominantShare, Verdict verdict, Defined<Consistency> consistency,
                         long tokens, Map<String, Defined<Interval>> interval95) {

    /**
     * @param pairs                    consecutive token pairs (t, t+1) of one request counted
     * @param sameFirstChoice          share of pairs with the same first-choice expert
     * @param sameFirstChoiceBaseline  1/N
     * @param topKIntersect            share of pairs whose top-k sets intersect
     * @param topKIntersectBaseline    1 - C(N-k, k) / C(N, k)
     * @param interval95               sameFirstChoice and topKIntersect: each share's 95 % interval by bootstrap
     *                                 over requests (a request's pairs stay together), or undefined with the reason
     */
    public record Consistency(long pairs, double sameFirstChoice, double sameFirstChoiceBaseline,
                              double topKIntersect, double topKIntersectBaseline,
                              Map<String, Defined<Interval>> interval95) {

        static Consistency of(RoutingConsistency c, Map<String, Defined<Interval>> interval95) {
            return new Consistency(c.pairs(), c.sameFirstChoiceShare(), c.sameFirstChoiceBaseline(),
                    c.intersectingShare(), c.intersectingBaseline(), interval95);
        }
    }

    /**
     * This layer judged by {@code judge}, everything else as it was computed: a stored suite judged by the rules
     * enabled now. The verdict rests on the layer's counts, as {@link #of} gives it.
     */
    LayerSuite judgedBy(RoutingJudge judge) {
        return new LayerSuite(layer, counts, shares, maxVio, normalisedEntropy, cv, gini, minShare, minExpert,
                maxShare, maxExpert, uniformShare, effectiveExperts, deadExperts, dominantShare,
                judge.judge(new ExpertLoad(layer, counts)), consistency, tokens, interval95);
    }

    /**
     * @param load       a load with at least one routed token
     * @param topK       k, to tell the tokens from the decisions
     * @param interval95 the layer's intervals, by figure name
     */
    static LayerSuite of(ExpertLoad load, double tau, RoutingJudge judge, Defined<Consistency> consistency,
                         int topK, Map<String, Defined<Interval>> interval95) {
        LayerLoadMetrics basic = LayerLoadMetrics.of(load);
        LoadImbalance imbalance = LoadImbalance.of(load);
        ShareExtremes extremes = imbalance.extremes();
        return new LayerSuite(load.layer(), basic.counts(), basic.shares(), basic.maxVio(),
                basic.normalisedEntropy(), imbalance.cv(), imbalance.gini(), extremes.minShare(),
                extremes.minExpert(), extremes.maxShare(), extremes.maxExpert(), extremes.uniformShare(),
                EffectiveExperts.of(load), DeadExperts.of(load, tau), DominantShare.of(load),
                judge.judge(load), consistency, load.total() / topK, interval95);
    }
}
