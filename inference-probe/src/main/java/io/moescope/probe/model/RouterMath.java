package io.moescope.probe.model;

import io.moescope.traces.routing.Choice;
import io.moescope.traces.routing.RouterRule;
import io.moescope.traces.routing.SoftmaxTopK;
import java.util.Arrays;

/**
 * Applies the softmax-top-k rule of every supported architecture ({@link SoftmaxTopK}, the one implementation the
 * hf-logits importer also uses) to router probabilities that were already copied out of the engine, token by token.
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
        var rule = new SoftmaxTopK(experts, topK, renormalise);
        int[] ids = new int[tokens * topK];
        float[] weights = new float[tokens * topK];
        float[] entropy = withEntropy ? new float[tokens] : null;
        double[] row = new double[experts];
        for (int t = 0; t < tokens; t++) {
            // float to double is exact: the rule compares and sums the engine's own probabilities
            for (int e = 0; e < experts; e++) {
                row[e] = probabilities[t * experts + e];
            }
            Choice choice = rule.choose(row, null);
            System.arraycopy(choice.ids(), 0, ids, t * topK, topK);
            System.arraycopy(choice.weights(), 0, weights, t * topK, topK);
            if (withEntropy) {
                entropy[t] = (float) rule.entropy(row);
            }
        }
        return new LayerRouting(layer, tokens, topK, ids, weights, entropy);
    }

    /**
     * Applies a rule that starts from the logits (DeepSeek's sigmoid or softmax scores, group limits, correction bias
     * and scaling), token by token.
     *
     * @param logits         {@code [tokens, experts]} row-major router logits, computed in float32 as transformers does
     * @param correctionBias the layer's {@code e_score_correction_bias} where the rule needs it, else null
     * @param withEntropy    whether to compute each token's entropy (of the distribution {@link RouterRule#entropy}
     *                       names)
     */
    static LayerRouting route(int layer, float[] logits, int tokens, RouterRule rule, float[] correctionBias,
                              boolean withEntropy) {
        int experts = rule.numExperts();
        int topK = rule.topK();
        int[] ids = new int[tokens * topK];
        float[] weights = new float[tokens * topK];
        float[] entropy = withEntropy ? new float[tokens] : null;
        for (int t = 0; t < tokens; t++) {
            double[] scores = rule.scores(Arrays.copyOfRange(logits, t * experts, (t + 1) * experts));
            Choice choice = rule.choose(scores, correctionBias);
            System.arraycopy(choice.ids(), 0, ids, t * topK, topK);
            System.arraycopy(choice.weights(), 0, weights, t * topK, topK);
            if (withEntropy) {
                entropy[t] = (float) rule.entropy(scores);
            }
        }
        return new LayerRouting(layer, tokens, topK, ids, weights, entropy);
    }
}
