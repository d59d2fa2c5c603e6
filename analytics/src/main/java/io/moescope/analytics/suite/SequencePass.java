package io.moescope.analytics.suite;

import io.moescope.analytics.coactivation.CoActivationAccumulator;
import io.moescope.analytics.coactivation.CoActivationIntervals;
import io.moescope.analytics.coactivation.PairCounting;
import io.moescope.analytics.coactivation.VocabularySpecialisation;
import io.moescope.analytics.coactivation.VocabularySpecialisationAccumulator;
import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.load.ExpertLoadAccumulator;
import io.moescope.analytics.locality.RoutingConsistency;
import io.moescope.analytics.locality.RoutingConsistencyAccumulator;
import io.moescope.analytics.warmup.WarmupAccumulator;
import io.moescope.analytics.warmup.WarmupSummary;
import io.moescope.events.ExpertCounts;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One pass over the raw tokens of a set, ordered by request and token index, feeding every sequence-based
 * accumulator at once, and the expert counts of the units that the intervals resample (requests, or blocks of
 * tokens where requests cannot be told apart). Memory: per-layer counters, the co-activation matrix, one request's
 * sequence at the detail layer, a bounded number of units' counts and the co-activation intervals' running sums;
 * never the whole set. Not thread-safe. {@link MetricSuite#of} composes the suite from it.
 */
public final class SequencePass implements Consumer<TokenRouting> {

    private final int detailLayer;
    private final ExpertLoadAccumulator loads;
    private final RoutingConsistencyAccumulator consistency;
    private final CoActivationAccumulator coActivation;
    private final CoActivationIntervals coActivationIntervals;
    private final VocabularySpecialisationAccumulator vocabulary;
    private final WarmupAccumulator warmup;
    private final RequestSeparation separation;
    private final ResamplingUnits units;
    /** per layer, the consistency counts {pairs, same, intersecting} already handed to the units */
    private final Map<Integer, long[]> pairsHandedOver;
    private List<int[]> requestSequence;
    private String runId;
    private String request;
    private long tokens;
    private boolean detailSeen;

    /**
     * @param countLoads whether to count loads too (not needed when the rollup covers the token set)
     * @param separation whether the run's requests can be told apart: the units of resampling, and whether the
     *                   sequence metrics are defined
     */
    public SequencePass(int numExperts, int detailLayer, WarmupAccumulator.Settings warmupSettings,
                        boolean countLoads, RequestSeparation separation) {
        this.detailLayer = detailLayer;
        this.loads = countLoads ? new ExpertLoadAccumulator(numExperts) : null;
        this.consistency = new RoutingConsistencyAccumulator(numExperts);
        this.coActivation = new CoActivationAccumulator(numExperts, PairCounting.ALL_PAIRS);
        this.coActivationIntervals = new CoActivationIntervals(numExperts, detailLayer, PairCounting.ALL_PAIRS,
                separation.unitBoundary());
        this.vocabulary = new VocabularySpecialisationAccumulator(numExperts);
        this.warmup = new WarmupAccumulator(warmupSettings);
        this.separation = separation;
        this.units = separation.units(numExperts);
        this.pairsHandedOver = new TreeMap<>();
        this.requestSequence = new ArrayList<>();
    }

    private SequencePass(SequencePass from) {
        detailLayer = from.detailLayer;
        loads = from.loads == null ? null : from.loads.copy();
        consistency = from.consistency.copy();
        coActivation = from.coActivation.copy();
        coActivationIntervals = from.coActivationIntervals.copy();
        vocabulary = from.vocabulary.copy();
        warmup = from.warmup.copy();
        separation = from.separation;
        units = from.units.copy();
        pairsHandedOver = new TreeMap<>();
        from.pairsHandedOver.forEach((layer, counts) -> pairsHandedOver.put(layer, counts.clone()));
        requestSequence = new ArrayList<>(from.requestSequence); // a token's top-k ids are never changed
        runId = from.runId;
        request = from.request;
        tokens = from.tokens;
        detailSeen = from.detailSeen;
    }

    /**
     * An independent copy, the open request included: fed the same tokens after this point, the copy and this pass
     * give the same suite, and what either is fed leaves the other as it was. How a kept pass is finished for a
     * suite and still extended later ({@link SuiteState}).
     */
    public SequencePass copy() {
        return new SequencePass(this);
    }

    @Override
    public void accept(TokenRouting token) {
        if (!Objects.equals(request, token.requestId())) {
            endRequest();
            request = token.requestId();
            runId = token.runId();
        }
        tokens++;
        if (loads != null) {
            loads.add(token);
        }
        consistency.add(token);
        units.accept(token);
        coActivationIntervals.accept(token);
        for (RouterDecision decision : token.decisions()) {
            if (decision.layer() == detailLayer) {
                detailSeen = true;
                coActivation.add(decision);
                requestSequence.add(decision.expertIds());
                vocabulary.add(new TokenRouting(token.runId(), token.requestId(), token.tokenIndex(),
                        token.tokenId(), token.phase(), token.timestampMicros(), List.of(decision)));
            }
        }
    }

    /**
     * A step of an aggregate-only run: counts without tokens, which the intervals resample and the sample size counts
     * (its loads come from the rollup, and it has no sequence to measure).
     */
    public void acceptStep(ExpertCounts step) {
        tokens += step.tokens();
        units.acceptStep(step);
    }

    /** Call once after the last token. */
    public void finish() {
        endRequest();
    }

    private void endRequest() {
        if (request != null) {
            consistency.endRequest(runId, request);
            if (separation.separable()) {
                handOverPairs();
            }
            warmup.addRequest(requestSequence);
            requestSequence = new ArrayList<>();
        }
    }

    // the request's pairs are the accumulator's new ones: the units resample them with the request's tokens
    private void handOverPairs() {
        for (RoutingConsistency c : consistency.results()) {
            long[] now = {c.pairs(), c.sameFirstChoicePairs(), c.intersectingPairs()};
            long[] before = pairsHandedOver.getOrDefault(c.layer(), new long[3]);
            if (now[0] > before[0]) {
                units.addPairs(c.layer(), now[0] - before[0], now[1] - before[1], now[2] - before[2]);
                pairsHandedOver.put(c.layer(), now);
            }
        }
    }

    int detailLayer() {
        return detailLayer;
    }

    long tokens() {
        return tokens;
    }

    RequestSeparation separation() {
        return separation;
    }

    ResamplingUnits units() {
        return units;
    }

    /** @throws IllegalStateException when the pass was told not to count loads */
    public List<ExpertLoad> loads() {
        if (loads == null) {
            throw new IllegalStateException("this pass did not count loads");
        }
        return loads.loads();
    }

    Map<Integer, RoutingConsistency> consistencyByLayer() {
        Map<Integer, RoutingConsistency> byLayer = new TreeMap<>();
        consistency.results().forEach(c -> byLayer.put(c.layer(), c));
        return byLayer;
    }

    Defined<WarmupSummary> warmup() {
        return Defined.compute(warmup::result);
    }

    Defined<MetricSuite.CoActivation> coActivation(int numExperts) {
        if (!detailSeen) {
            return Defined.undefined("no token routed at layer " + detailLayer + " in this token set");
        }
        long[] chosen = new long[numExperts];
        for (int e = 0; e < numExperts; e++) {
            chosen[e] = coActivation.timesChosen(detailLayer, e);
        }
        return Defined.of(new MetricSuite.CoActivation(detailLayer, PairCounting.ALL_PAIRS.name(),
                coActivation.matrix(detailLayer), chosen, Defined.compute(coActivationIntervals::interval95)));
    }

    Defined<VocabularySpecialisation> vocabulary() {
        return Defined.compute(() -> vocabulary.result(detailLayer));
    }
}
