package io.moescope.traces.routing;

import io.moescope.analytics.collapse.ShannonEntropy;

/**
 * gpt-oss ({@code GptOssTopKRouter}): the k largest logits (the router has a bias, already in the logits), then a
 * softmax over those k only, so the weights always sum to 1. The entropy is that of the softmax over all N logits: the
 * k-way softmax says nothing about the experts that were not chosen.
 */
public record TopKSoftmax(int numExperts, int topK) implements RouterRule {

    public TopKSoftmax {
        RouterRules.requireTopK(numExperts, topK);
    }

    /** The logits themselves: this rule chooses by them. */
    @Override
    public double[] scores(float[] logits) {
        return Scores.checked(logits, numExperts);
    }

    @Override
    public Choice choose(double[] logits, float[] correctionBias) {
        int[] ids = TopK.largest(logits, topK, null);
        double[] chosen = new double[topK];
        for (int r = 0; r < topK; r++) {
            chosen[r] = logits[ids[r]];
        }
        double[] p = Scores.softmax(chosen);
        float[] weights = new float[topK];
        for (int r = 0; r < topK; r++) {
            weights[r] = (float) p[r];
        }
        return new Choice(ids, weights);
    }

    @Override
    public double entropy(double[] logits) {
        return ShannonEntropy.nats(Scores.softmax(logits));
    }
}
