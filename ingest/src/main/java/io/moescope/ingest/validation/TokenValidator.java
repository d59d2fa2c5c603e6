package io.moescope.ingest.validation;

import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.StorableTokens;
import io.moescope.ingest.copy.TokenView;

/**
 * Decides whether a decoded {@link TokenRouting} may be stored. Two tiers:
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

    /** Entropy is computed in float: a one-hot distribution may come out a hair below zero. */
    private static final float ENTROPY_TOLERANCE = 1e-3f;

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
        for (int d = 0; d < decisions; d++) {
            int layer = token.layer(d);
            int k = token.topK(d);
            if (model != null) {
                checkAgainstModel(token, d, model);
            }
            checkWeights(token, d, model);
            float entropy = token.routerEntropy(d);
            if (!Float.isNaN(entropy) && (Float.isInfinite(entropy) || entropy < -ENTROPY_TOLERANCE)) {
                throw new RejectedTokenException(RejectReason.INVALID_ENTROPY, "layer " + layer + ": router entropy "
                        + entropy + " is not a finite non-negative number");
            }
            for (int i = 1; i < k; i++) {
                int expert = token.expert(d, i);
                for (int j = 0; j < i; j++) {
                    if (expert == token.expert(d, j)) {
                        throw new RejectedTokenException(RejectReason.DUPLICATE_EXPERT, "layer " + layer
                                + ": expert " + expert + " chosen twice");
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

    /**
     * A decision's gate weights are all known (finite, non-negative) or all unknown (NaN: traces that record expert
     * ids only, see the importers). Partly unknown, infinite or negative weights are refused, and so is any unknown
     * weight in a probe run, whose weights come from a router we ran: there a NaN is a numerical failure.
     */
    private static void checkWeights(TokenView token, int d, RunModel model) {
        int k = token.topK(d);
        int unknown = 0;
        for (int j = 0; j < k; j++) {
            float w = token.weight(d, j);
            if (Float.isNaN(w)) {
                unknown++;
            } else if (Float.isInfinite(w) || w < 0) {
                throw new RejectedTokenException(RejectReason.INVALID_WEIGHT, "layer " + token.layer(d)
                        + ": gate weight " + w + " of expert " + token.expert(d, j)
                        + " is not a finite non-negative number");
            }
        }
        if (unknown > 0 && unknown < k) {
            throw new RejectedTokenException(RejectReason.INVALID_WEIGHT, "layer " + token.layer(d) + ": " + unknown
                    + " of " + k + " gate weights are NaN (weights are all known or all unknown)");
        }
        if (unknown > 0 && model != null && model.knowsAllWeights()) {
            throw new RejectedTokenException(RejectReason.INVALID_WEIGHT, "layer " + token.layer(d)
                    + ": NaN gate weights in a probe run (a probe knows every weight)");
        }
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
