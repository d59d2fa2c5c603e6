package io.moescope.events;

import java.util.Arrays;

/**
 * The router's choice for one token at one MoE layer.
 *
 * @param layer         decoder layer index (0-based), as in the checkpoint's tensor names
 * @param expertIds     the top-k expert ids, highest weight first
 * @param weights       the gate weights the model applied to {@code expertIds}; whether they are renormalised
 *                      depends on the architecture (see docs/metrics.md, "Weight semantics")
 * @param routerEntropy entropy in nats of the full softmax over all experts, or {@link Float#NaN} when the
 *                      source of the decision did not know the full distribution
 */
public record RouterDecision(int layer, int[] expertIds, float[] weights, float routerEntropy) {

    public RouterDecision {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0 but was " + layer);
        }
        if (expertIds.length == 0) {
            throw new IllegalArgumentException("layer " + layer + ": no expert ids");
        }
        if (expertIds.length != weights.length) {
            throw new IllegalArgumentException("layer " + layer + ": " + expertIds.length + " expert ids but "
                    + weights.length + " weights");
        }
        for (int id : expertIds) {
            if (id < 0) {
                throw new IllegalArgumentException("layer " + layer + ": negative expert id " + id);
            }
        }
    }

    /** A decision whose full router distribution is unknown (imported traces, for example). */
    public static RouterDecision withoutEntropy(int layer, int[] expertIds, float[] weights) {
        return new RouterDecision(layer, expertIds, weights, Float.NaN);
    }

    public int topK() {
        return expertIds.length;
    }

    public boolean hasRouterEntropy() {
        return !Float.isNaN(routerEntropy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterDecision other
                && layer == other.layer
                && Arrays.equals(expertIds, other.expertIds)
                && Arrays.equals(weights, other.weights)
                && Float.compare(routerEntropy, other.routerEntropy) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * layer + Arrays.hashCode(expertIds)) + Arrays.hashCode(weights))
                + Float.hashCode(routerEntropy);
    }

    @Override
    public String toString() {
        return "RouterDecision[layer=" + layer + ", expertIds=" + Arrays.toString(expertIds)
                + ", weights=" + Arrays.toString(weights) + ", routerEntropy=" + routerEntropy + "]";
    }
}
