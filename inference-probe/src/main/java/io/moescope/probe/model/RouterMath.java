package io.moescope.probe.model;

import java.util.Arrays;

/**
 * The softmax-top-k routing rule of every supported architecture, applied to router probabilities that were already
 * copied out of the engine: top-k by probability (ties go to the lower expert id); the weights are the chosen
 * probabilities, renormalised to sum to 1 when the architecture does so ({@code norm_topk_prob}); and the entropy of
 * the full softmax.
 * Doing this on the Java copy costs {@code T * N} steps and gives the capture and the dispatch the same ids.
 * The entropy is for the capture only (the dispatch needs ids and weights): with capture off it is not computed,
 * which saves {@code T * N} logarithms per layer and step.
 */
final class RouterMath {

    private RouterMath() {
    }

    /**
     * @param probabilities {@code [tokens, experts]} row-major softmax of the router logits
     * @param renormalise   whether the k weights are divided by their sum
     * @param withEntropy   whether to compute each token's entropy; without it the routing carries none
     */
    static LayerRouting route(int layer, float[] probabilities, int tokens, int experts, int topK,
                              boolean renormalise, boolean withEntropy) {
        int[] ids = new int[tokens * topK];
        float[] weights = new float[tokens * topK];
        boolean[] taken = new boolean[experts];
        for (int t = 0; t < tokens; t++) {
            int row = t * experts;
            Arrays.fill(taken, false);
            double chosenMass = 0;
            for (int r = 0; r < topK; r++) {
                int best = -1;
                for (int e = 0; e < experts; e++) {
                    if (!taken[e] && (best < 0 || probabilities[row + e] > probabilities[row + best])) {
                        best = e;
                    }
                }
                taken[best] = true;
                ids[t * topK + r] = best;
                chosenMass += probabilities[row + best];
            }
            double divisor = renormalise ? chosenMass : 1;
            for (int r = 0; r < topK; r++) {
                weights[t * topK + r] = (float) (probabilities[row + ids[t * topK + r]] / divisor);
            }
        }
        return new LayerRouting(layer, tokens, topK, ids, weights,
                withEntropy ? entropy(probabilities, tokens, experts) : null);
    }

    /** Entropy in nats of each row of {@code [tokens, experts]} probabilities. */
    private static float[] entropy(float[] probabilities, int tokens, int experts) {
        float[] entropy = new float[tokens];
        for (int t = 0; t < tokens; t++) {
            int row = t * experts;
            double h = 0;
            for (int e = 0; e < experts; e++) {
                double p = probabilities[row + e];
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
            entropy[t] = (float) h;
        }
        return entropy;
    }
}
