package io.moescope.ingest.validation;

import java.util.BitSet;
import java.util.Collection;

/**
 * The shape of a run's model as stored in the {@code run} table: what a token of the run is validated against.
 *
 * @param runId      the run
 * @param numLayers  decoder layers in total
 * @param numExperts routed experts per MoE layer (N)
 * @param topK       experts chosen per token and layer (k)
 * @param moeLayers  the layers that have a router; empty when the source did not say, then any layer below
 *                   {@code numLayers} is accepted
 * @param source     where the run comes from: {@code probe}, {@code import:<format>}, {@code replay}
 */
public record RunModel(String runId, int numLayers, int numExperts, int topK, BitSet moeLayers, String source) {

    /** The source of runs whose every gate weight comes from a router we ran, so none may be unknown. */
    public static final String PROBE = "probe";

    public RunModel {
        moeLayers = (BitSet) moeLayers.clone();
    }

    public static RunModel of(String runId, int numLayers, int numExperts, int topK, Collection<Integer> moeLayers,
                              String source) {
        var bits = new BitSet();
        moeLayers.forEach(layer -> {
            if (layer >= 0) {
                bits.set(layer);
            }
        });
        return new RunModel(runId, numLayers, numExperts, topK, bits, source);
    }

    /** A probe run's weights are the router's own: an unknown (NaN) weight there is a numerical failure. */
    public boolean knowsAllWeights() {
        return PROBE.equals(source);
    }

    /** Whether the model has a router at {@code layer}. */
    public boolean routes(int layer) {
        return layer >= 0 && layer < numLayers && (moeLayers.isEmpty() || moeLayers.get(layer));
    }

    @Override
    public BitSet moeLayers() {
        return (BitSet) moeLayers.clone();
    }
}
