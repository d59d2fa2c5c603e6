package io.moescope.ingest.validation;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.StorableTokens;

/**
 * Decides whether a decoded {@link TokenRouting} may be stored. Two tiers:
 * <ul>
 *   <li>always: gate weights finite and non-negative, router entropy (when known) finite and non-negative,
 *       distinct experts within a layer, and everything {@link StorableTokens} needs for one row;</li>
 *   <li>when the run's model is known (its {@code run} row exists): every layer has a router in that model
 *       ({@code 0 <= layer < num_layers}, and among {@code moe_layers} when those are recorded), every expert id
 *       is below {@code num_experts}, and every layer chose exactly {@code top_k} experts.</li>
 * </ul>
 * The first violation found is reported. Stateless and thread-safe.
 */
public final class TokenValidator {

    /** Entropy is computed in float: a one-hot distribution may come out a hair below zero. */
    private static final float ENTROPY_TOLERANCE = 1e-3f;

    private TokenValidator() {
    }

    /**
     * @param model the run's model, or null when the run is not known (then only the model-free rules apply)
     * @throws RejectedTokenException saying why the token must not be stored
     */
    public static void check(TokenRouting token, RunModel model) {
        for (RouterDecision decision : token.decisions()) {
            int layer = decision.layer();
            if (model != null) {
                checkAgainstModel(decision, model);
            }
            float[] weights = decision.weights();
            for (int i = 0; i < weights.length; i++) {
                float w = weights[i];
                if (Float.isNaN(w) || Float.isInfinite(w) || w < 0) {
                    throw new RejectedTokenException(RejectReason.INVALID_WEIGHT, "layer " + layer + ": gate weight "
                            + w + " of expert " + decision.expertIds()[i] + " is not a finite non-negative number");
                }
            }
            float entropy = decision.routerEntropy();
            if (decision.hasRouterEntropy() && (Float.isInfinite(entropy) || entropy < -ENTROPY_TOLERANCE)) {
                throw new RejectedTokenException(RejectReason.INVALID_ENTROPY, "layer " + layer + ": router entropy "
                        + entropy + " is not a finite non-negative number");
            }
            int[] experts = decision.expertIds();
            for (int i = 1; i < experts.length; i++) {
                for (int j = 0; j < i; j++) {
                    if (experts[i] == experts[j]) {
                        throw new RejectedTokenException(RejectReason.DUPLICATE_EXPERT, "layer " + layer
                                + ": expert " + experts[i] + " chosen twice");
                    }
                }
            }
        }
        try {
            StorableTokens.check(token);
        } catch (IllegalArgumentException e) {
            throw new RejectedTokenException(RejectReason.NOT_STORABLE, "token routing cannot be stored: "
                    + e.getMessage());
        }
    }

    private static void checkAgainstModel(RouterDecision decision, RunModel model) {
        int layer = decision.layer();
        if (!model.routes(layer)) {
            throw new RejectedTokenException(RejectReason.LAYER_OUT_OF_RANGE, layer < model.numLayers()
                    ? "layer " + layer + " has no router in run " + model.runId() + "'s model"
                    : "layer " + layer + " out of range: run " + model.runId() + "'s model has " + model.numLayers()
                            + " layers");
        }
        if (decision.topK() != model.topK()) {
            throw new RejectedTokenException(RejectReason.TOP_K_MISMATCH, "layer " + layer + " chose "
                    + decision.topK() + " experts but run " + model.runId() + "'s model routes to top-"
                    + model.topK());
        }
        for (int expert : decision.expertIds()) {
            if (expert >= model.numExperts()) {
                throw new RejectedTokenException(RejectReason.EXPERT_OUT_OF_RANGE, "layer " + layer + ": expert "
                        + expert + " out of range: run " + model.runId() + "'s model has " + model.numExperts()
                        + " experts");
            }
        }
    }
}
