package io.moescope.ingest.validation;

import io.moescope.events.TokenRouting;
import io.moescope.events.validation.RejectReason;
import io.moescope.events.validation.RejectedTokenException;
import io.moescope.events.validation.StorableTokens;
import io.moescope.events.validation.TokenRules;
import io.moescope.events.validation.TokenView;

/**
 * Decides whether a decoded {@link TokenRouting} may be stored. Two tiers (the first is shared with the trace
 * importers: {@link TokenRules}):
 * <ul>
 *   <li>always: gate weights finite and non-negative or, for a whole decision, unknown (NaN; not in probe runs),
 *       router entropy (when known) finite and non-negative,
 *       distinct experts within a layer, and everything {@link StorableTokens} needs for one row;</li>
 *   <li>when the run's model is known (its {@code run} row exists): every layer has a router in that model
 *       ({@code 0 <= layer < num_layers}, and among {@code moe_layers} when those are recorded), every expert id
 *       is below {@code num_experts}, and every layer chose exactly {@code top_k} experts.</li>
 * </ul>
 * The first violation found is reported. Stateless and thread-safe.
 */
public final class TokenValidator {

    private TokenValidator() {
    }

    /**
     * @param model the run's model, or null when the run is not known (then only the model-free rules apply)
     * @throws RejectedTokenException saying why the token must not be stored
     */
    public static void check(TokenRouting token, RunModel model) {
        check(TokenView.of(token), model);
    }

    /**
     * @param model the run's model, or null when the run is not known (then only the model-free rules apply)
     * @throws RejectedTokenException saying why the token must not be stored
     */
    public static void check(TokenView token, RunModel model) {
        int decisions = token.decisionCount();
        boolean weightsMustBeKnown = model != null && model.knowsAllWeights();
        for (int d = 0; d < decisions; d++) {
            if (model != null) {
                checkAgainstModel(token, d, model);
            }
            TokenRules.checkDecision(token, d, weightsMustBeKnown);
        }
        TokenRules.checkStorable(token);
    }

    private static void checkAgainstModel(TokenView token, int d, RunModel model) {
        int layer = token.layer(d);
        if (!model.routes(layer)) {
            throw new RejectedTokenException(RejectReason.LAYER_OUT_OF_RANGE, layer < model.numLayers()
                    ? "layer " + layer + " has no router in run " + model.runId() + "'s model"
                    : "layer " + layer + " out of range: run " + model.runId() + "'s model has " + model.numLayers()
                            + " layers");
        }
        int k = token.topK(d);
        if (k != model.topK()) {
            throw new RejectedTokenException(RejectReason.TOP_K_MISMATCH, "layer " + layer + " chose " + k
                    + " experts but run " + model.runId() + "'s model routes to top-" + model.topK());
        }
        for (int j = 0; j < k; j++) {
            int expert = token.expert(d, j);
            if (expert >= model.numExperts()) {
                throw new RejectedTokenException(RejectReason.EXPERT_OUT_OF_RANGE, "layer " + layer + ": expert "
                        + expert + " out of range: run " + model.runId() + "'s model has " + model.numExperts()
                        + " experts");
            }
        }
    }
}
