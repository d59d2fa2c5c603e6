package io.moescope.probe.model;

import io.moescope.events.RouterDecision;
import java.util.Arrays;

/**
 * What one MoE layer's router chose for every token of one forward step, copied out of the engine in one go.
 *
 * @param layer     decoder layer index
 * @param tokens    tokens in the step (T)
 * @param topK      experts per token (k)
 * @param expertIds {@code [T * k]} row-major: token t's experts at {@code t * k ..}, highest weight first
 * @param weights   {@code [T * k]} the gate weights the model applies to {@code expertIds}: renormalised to sum to 1
 *                  per token, or the raw softmax probabilities where {@code norm_topk_prob} is false, or (gpt-oss)
 *                  the softmax over the k chosen logits
 * @param entropy   {@code [T]} entropy in nats of each token's full softmax over all experts (for gpt-oss too: over
 *                  all N logits, not the k-way softmax of the weights); null when the step ran
 *                  with capture off (the dispatch does not need it)
 */
public record LayerRouting(int layer, int tokens, int topK, int[] expertIds, float[] weights, float[] entropy) {

    public LayerRouting {
        if (expertIds.length != tokens * topK || weights.length != tokens * topK
                || (entropy != null && entropy.length != tokens)) {
            throw new IllegalArgumentException("layer " + layer + ": arrays do not match " + tokens + " tokens x top-"
                    + topK);
        }
    }

    /** Token {@code t}'s decision, as the event schema carries it. */
    public RouterDecision decision(int t) {
        if (entropy == null) {
            throw new IllegalStateException("layer " + layer + " was routed with capture off: no entropy to report");
        }
        int from = t * topK;
        return new RouterDecision(layer, Arrays.copyOfRange(expertIds, from, from + topK),
                Arrays.copyOfRange(weights, from, from + topK), entropy[t]);
    }

    public int expert(int t, int rank) {
        return expertIds[t * topK + rank];
    }
}
