package io.moescope.analytics.coactivation;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.Map;
import java.util.TreeMap;

/**
 * Co-activation per layer (OLMoE, Muennighoff et al. 2024, arXiv:2409.02060): {@code CoAct(a, b) = N(a and b both
 * in top-k) / N(a in top-k)}, the share of a's tokens that also went to b; asymmetric. Which pairs count is a
 * {@link PairCounting}. Memory: N x N counts per layer, independent of the number of tokens. Not thread-safe.
 */
public final class CoActivationAccumulator {

    private final int numExperts;
    private final PairCounting counting;
    private final Map<Integer, long[][]> pairsByLayer = new TreeMap<>();
    private final Map<Integer, long[]> chosenByLayer = new TreeMap<>();

    public CoActivationAccumulator(int numExperts, PairCounting counting) {
        if (numExperts < 1) {
            throw new IllegalArgumentException("numExperts must be >= 1 but was " + numExperts);
        }
        this.numExperts = numExperts;
        this.counting = counting;
    }

    /** An independent copy: what either is fed later leaves the other as it was. */
    public CoActivationAccumulator copy() {
        var copy = new CoActivationAccumulator(numExperts, counting);
        pairsByLayer.forEach((layer, pairs) -> {
            long[][] rows = new long[numExperts][];
            for (int a = 0; a < numExperts; a++) {
                rows[a] = pairs[a].clone();
            }
            copy.pairsByLayer.put(layer, rows);
        });
        chosenByLayer.forEach((layer, chosen) -> copy.chosenByLayer.put(layer, chosen.clone()));
        return copy;
    }

    public void add(TokenRouting token) {
        for (RouterDecision decision : token.decisions()) {
            add(decision);
        }
    }

    /** @throws IllegalArgumentException when an expert id is out of range */
    public void add(RouterDecision decision) {
        int[] ids = decision.expertIds();
        for (int id : ids) {
            if (id >= numExperts) {
                throw new IllegalArgumentException("layer " + decision.layer() + ": expert id " + id
                        + " out of range for " + numExperts + " experts");
            }
        }
        long[][] pairs = pairsByLayer.computeIfAbsent(decision.layer(), l -> new long[numExperts][numExperts]);
        long[] chosen = chosenByLayer.computeIfAbsent(decision.layer(), l -> new long[numExperts]);
        for (int r = 0; r < ids.length; r++) {
            chosen[ids[r]]++;
            for (int s = 0; s < ids.length; s++) {
                if (counting.counts(r, s)) {
                    pairs[ids[r]][ids[s]]++;
                }
            }
        }
    }

    /**
     * The co-activation matrix of a layer: {@code [a][b] = CoAct(a, b)}. A row of an expert never chosen is all
     * zeros (nothing co-occurred with it), never NaN; {@link #timesChosen} tells it apart from a real zero.
     *
     * @throws IllegalArgumentException when the layer was never seen
     */
    public double[][] matrix(int layer) {
        long[][] pairs = pairsOf(layer);
        long[] chosen = chosenByLayer.get(layer);
        double[][] matrix = new double[numExperts][numExperts];
        for (int a = 0; a < numExperts; a++) {
            for (int b = 0; b < numExperts; b++) {
                matrix[a][b] = chosen[a] == 0 ? 0 : (double) pairs[a][b] / chosen[a];
            }
        }
        return matrix;
    }

    /** N(a in top-k) at a layer. */
    public long timesChosen(int layer, int expert) {
        pairsOf(layer);
        return chosenByLayer.get(layer)[expert];
    }

    private long[][] pairsOf(int layer) {
        long[][] pairs = pairsByLayer.get(layer);
        if (pairs == null) {
            throw new IllegalArgumentException("no token routed at layer " + layer);
        }
        return pairs;
    }
}
