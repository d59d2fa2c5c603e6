package io.moescope.analytics.load;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.validation.StorableTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts expert selections per layer as tokens stream by: memory grows with layers x experts, not with tokens, so
 * the same code serves a stored run and a live window. Not thread-safe.
 */
public final class ExpertLoadAccumulator {

    private final int numExperts;
    /**
     * The counts of layer i at index i, null for a layer not seen: an array, not a map, as every decision looks its
     * layer up. As long as the highest layer seen plus one, at most {@link StorableTokens#MAX_LAYER} + 1.
     */
    private long[][] countsByLayer = new long[0][];

    public ExpertLoadAccumulator(int numExperts) {
        if (numExperts < 1) {
            throw new IllegalArgumentException("numExperts must be >= 1 but was " + numExperts);
        }
        this.numExperts = numExperts;
    }

    /** An independent copy: what either is fed later leaves the other as it was. */
    public ExpertLoadAccumulator copy() {
        var copy = new ExpertLoadAccumulator(numExperts);
        copy.countsByLayer = new long[countsByLayer.length][];
        for (int layer = 0; layer < countsByLayer.length; layer++) {
            copy.countsByLayer[layer] = countsByLayer[layer] == null ? null : countsByLayer[layer].clone();
        }
        return copy;
    }

    public void add(TokenRouting token) {
        for (RouterDecision decision : token.decisions()) {
            long[] counts = counts(decision.layer());
            for (int expert : decision.expertIds()) {
                if (expert >= numExperts) {
                    throw new IllegalArgumentException("layer " + decision.layer() + ": expert id " + expert
                            + " out of range for " + numExperts + " experts");
                }
                counts[expert]++;
            }
        }
    }

    /**
     * Adds counts of one layer counted elsewhere (a step of an aggregate-only run, a minute of the rollups):
     * {@code counts[e]} more choices of expert e. A layer is seen from its first choice on, as with tokens: counts
     * of zeros add no layer.
     */
    public void add(int layer, long[] counts) {
        for (int expert = 0; expert < counts.length; expert++) {
            if (counts[expert] == 0) {
                continue;
            }
            if (expert >= numExperts) {
                throw new IllegalArgumentException("layer " + layer + ": expert id " + expert
                        + " out of range for " + numExperts + " experts");
            }
            counts(layer)[expert] += counts[expert];
        }
    }

    /** The layer's counts, made on its first decision. */
    private long[] counts(int layer) {
        if (layer >= countsByLayer.length) {
            if (layer > StorableTokens.MAX_LAYER) {
                throw new IllegalArgumentException("layer " + layer + " out of range: layers are at most "
                        + StorableTokens.MAX_LAYER);
            }
            countsByLayer = Arrays.copyOf(countsByLayer, layer + 1);
        }
        if (countsByLayer[layer] == null) {
            countsByLayer[layer] = new long[numExperts];
        }
        return countsByLayer[layer];
    }

    /** The loads so far, one per layer seen, in layer order. */
    public List<ExpertLoad> loads() {
        var loads = new ArrayList<ExpertLoad>();
        for (int layer = 0; layer < countsByLayer.length; layer++) {
            if (countsByLayer[layer] != null) {
                loads.add(new ExpertLoad(layer, countsByLayer[layer]));
            }
        }
        return loads;
    }
}
