package io.moescope.analytics.load;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts expert selections per layer as tokens stream by: memory grows with layers x experts, not with tokens, so
 * the same code serves a stored run and a live window. Not thread-safe.
 */
public final class ExpertLoadAccumulator {

    private final int numExperts;
    private final Map<Integer, long[]> countsByLayer = new TreeMap<>();

    public ExpertLoadAccumulator(int numExperts) {
        if (numExperts < 1) {
            throw new IllegalArgumentException("numExperts must be >= 1 but was " + numExperts);
        }
        this.numExperts = numExperts;
    }

    /** An independent copy: what either is fed later leaves the other as it was. */
    public ExpertLoadAccumulator copy() {
        var copy = new ExpertLoadAccumulator(numExperts);
        countsByLayer.forEach((layer, counts) -> copy.countsByLayer.put(layer, counts.clone()));
        return copy;
    }

    public void add(TokenRouting token) {
        for (RouterDecision decision : token.decisions()) {
            long[] counts = countsByLayer.computeIfAbsent(decision.layer(), layer -> new long[numExperts]);
            for (int expert : decision.expertIds()) {
                if (expert >= numExperts) {
                    throw new IllegalArgumentException("layer " + decision.layer() + ": expert id " + expert
                            + " out of range for " + numExperts + " experts");
                }
                counts[expert]++;
            }
        }
    }

    /** The loads so far, one per layer seen, in layer order. */
    public List<ExpertLoad> loads() {
        var loads = new ArrayList<ExpertLoad>(countsByLayer.size());
        countsByLayer.forEach((layer, counts) -> loads.add(new ExpertLoad(layer, counts)));
        return loads;
    }
}
