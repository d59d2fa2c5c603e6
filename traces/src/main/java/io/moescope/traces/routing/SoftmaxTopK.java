package io.moescope.traces.routing;

import io.moescope.analytics.collapse.ShannonEntropy;

/**
 * Softmax over the N logits, then the k most probable experts (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE). The weights are
 * the chosen probabilities, divided by their sum when the model renormalises (always in Mixtral, {@code
 * norm_topk_prob} elsewhere). The entropy is that of the softmax over all N.
 *
 * @param renormalise whether the k weights are divided by their sum
 */
public record SoftmaxTopK(int numExperts, int topK, boolean renormalise) implements RouterRule {

    public SoftmaxTopK {
        RouterRules.requireTopK(numExperts, topK);
    }

    /** The softmax over N: the probabilities the probe's engine also computes itself and passes to {@link #choose}. */
    @Override
    public double[] scores(float[] logits) {
        return Scores.softmax(Scores.checked(logits, numExperts));
    }

    @Override
    public Choice choose(double[] probabilities, float[] correctionBias) {
        int[] ids = TopK.largest(probabilities, topK, null);
        double chosenMass = 0;
        for (int id : ids) {
            chosenMass += probabilities[id];
        }
        double divisor = renormalise ? chosenMass : 1;
        float[] weights = new float[topK];
        for (int r = 0; r < topK; r++) {
            weights[r] = (float) (probabilities[ids[r]] / divisor);
        }
        return new Choice(ids, weights);
    }

    @Override
    public double entropy(double[] probabilities) {
        return ShannonEntropy.nats(probabilities);
    }
}
