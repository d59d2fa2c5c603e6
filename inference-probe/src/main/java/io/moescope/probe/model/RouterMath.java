package io.moescope.probe.model;

import io.moescope.traces.routing.Choice;
import io.moescope.traces.routing.RouterRule;
import io.moescope.traces.routing.SoftmaxTopK;
import java.util.Arrays;

/**
 * Applies the architecture's {@link RouterRule} (the one implementation the hf-logits importer also uses) to router
 * outputs that were already copied out of the engine, token by token. Doing this on the Java copy costs {@code T * N}
 * steps and gives the capture and the dispatch the same ids. The entropy is for the capture only (the dispatch needs
 * ids and weights): with capture off it is not computed, which saves {@code T * N} logarithms per layer and step.
 */
final class RouterMath {

    private RouterMath() {
    }

    /**
     * Whether the engine computes the rule's scores itself: {@link SoftmaxTopK}'s softmax over N runs where the logits
     * are; every other rule gets the raw logits and computes its {@link RouterRule#scores} in double.
     */
    static boolean engineScores(RouterRule rule) {
        return rule instanceof SoftmaxTopK;
    }

    /**
     * @param values         {@code [tokens, experts]} row-major: the rule's scores where {@link #engineScores}, else
     *                       the router logits (float32, as transformers computes them)
     * @param correctionBias the layer's {@code e_score_correction_bias} where {@link RouterRule#needsCorrectionBias()}
     *                       (DeepSeek-V3), else null
     * @param withEntropy    whether to compute each token's entropy; without it the routing carries none
     */
    static LayerRouting route(int layer, float[] values, int tokens, RouterRule rule, float[] correctionBias,
                              boolean withEntropy) {
        if (rule.needsCorrectionBias() != (correctionBias != null)) {
            throw new IllegalArgumentException(rule + (correctionBias == null ? " needs" : " takes no")
                    + " correction bias");
        }
        int experts = rule.numExperts();
        int topK = rule.topK();
        boolean scored = engineScores(rule);
        int[] ids = new int[tokens * topK];
        float[] weights = new float[tokens * topK];
        float[] entropy = withEntropy ? new float[tokens] : null;
        double[] row = new double[experts];
        for (int t = 0; t < tokens; t++) {
            if (scored) {
                // float to double is exact: the rule compares and sums the engine's own probabilities
                for (int e = 0; e < experts; e++) {
                    row[e] = values[t * experts + e];
                }
            } else {
                row = rule.scores(Arrays.copyOfRange(values, t * experts, (t + 1) * experts));
            }
            Choice choice = rule.choose(row, correctionBias);
            System.arraycopy(choice.ids(), 0, ids, t * topK, topK);
            System.arraycopy(choice.weights(), 0, weights, t * topK, topK);
            if (withEntropy) {
                entropy[t] = (float) rule.entropy(row);
            }
        }
        return new LayerRouting(layer, tokens, topK, ids, weights, entropy);
    }
}
