package io.moescope.probe.model;

import java.util.Arrays;

/**
 * The softmax-top-k routing rule of every supported architecture, applied to router probabilities that were already
 * copied out of the engine: top-k by probability (ties go to the lower expert id); the weights are the chosen
 * probabilities, renormalised to sum to 1 when the architecture does so ({@code norm_topk_prob}); and the entropy of
 * the full softmax.
 * Doing this on the Java copy costs {@code T * N} steps and gives the capture and the dispatch the same ids.
 */
final class RouterMath {

    private RouterMath() {
    }

    /**
     * @param probabilities {@code [tokens, experts]} row-major softmax of the router logits
     * @param renormalise   whether the k weights are divided by their sum
     */
    static LayerRouting route(int layer, float[] probabilities, int tokens, int experts, int topK,
                              boolean renormalise) {
        int[] ids = new int[tokens * topK];
        float[] weights = new float[tokens * topK];
        float[] entropy = new float[tokens];
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
            double h = 0;
            for (int e = 0; e < experts; e++) {
                double p = probabilities[row + e];
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
            entropy[t] = (float) h;
        }
        return new LayerRouting(layer, tokens, topK, ids, weights, entropy);
    }
}
