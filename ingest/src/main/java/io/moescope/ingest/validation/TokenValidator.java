package io.moescope.ingest.validation;

import io.moescope.events.PackedRouting;
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

    /**
     * {@link #check(TokenView, RunModel)} for a token that may have come packed: {@code wire} is its packed routing
     * as it came (null when it came with its decisions listed). One pass over the packed bytes accepts a token that
     * breaks none of the rules without converting a value; a token it is not sure of goes through the rules on its
     * values, so that a refusal has their reason and message. What is sent packed is validated alike packed or not
     * ({@code TokenRoutingWriter}).
     *
     * @param token the token's view (of the same bytes when it came packed)
     * @throws RejectedTokenException saying why the token must not be stored
     */
    public static void check(TokenView token, PackedRouting.View wire, RunModel model) {
        if (wire == null || !breaksNoRule(token, wire, model)) {
            check(token, model);
        }
    }

    /**
     * Whether the packed token surely passes {@link #check(TokenView, RunModel)}: false means "not sure", not
     * "invalid". The rules restated on the bits, as a filter in front of them and not a second implementation:
     * every value it is unsure of (a negative entropy within the tolerance, say) is left to the rules.
     */
    private static boolean breaksNoRule(TokenView token, PackedRouting.View wire, RunModel model) {
        if (token.runId().indexOf('\0') >= 0 || token.requestId().indexOf('\0') >= 0) {
            return false;
        }
        int topK = wire.topK();
        if (model != null && topK != model.topK()) {
            return false;
        }
        int experts = model == null ? StorableTokens.MAX_EXPERTS
                : Math.min(model.numExperts(), StorableTokens.MAX_EXPERTS);
        boolean weightsMustBeKnown = model != null && model.knowsAllWeights();
        int previousLayer = -1;
        int[] ids = new int[topK];
        for (int d = 0; d < wire.layerCount(); d++) {
            int layer = wire.layer(d);
            wire.experts(d, ids);
            if (layer <= previousLayer || layer > StorableTokens.MAX_LAYER || model != null && !model.routes(layer)
                    || !distinctAndBelow(ids, experts)
                    || !knownOrUnknownWeights(wire, d, weightsMustBeKnown)
                    || !isNaNOrNonNegativeFinite(wire.entropyBits(d))) {
                return false;
            }
            previousLayer = layer;
        }
        return true;
    }

    private static boolean distinctAndBelow(int[] ids, int experts) {
        for (int j = 0; j < ids.length; j++) {
            int expert = ids[j];
            if (expert >= experts) {
                return false;
            }
            for (int i = 0; i < j; i++) {
                if (ids[i] == expert) {
                    return false;
                }
            }
        }
        return true;
    }

    /** All of decision {@code d}'s weights finite and non-negative, or all NaN where unknown weights are allowed. */
    private static boolean knownOrUnknownWeights(PackedRouting.View wire, int d, boolean weightsMustBeKnown) {
        if (!wire.hasWeights()) {
            return !weightsMustBeKnown; // every weight unknown (ids only), nothing to look at
        }
        int unknown = 0;
        for (int j = 0; j < wire.topK(); j++) {
            int bits = wire.weightBits(d, j);
            if (isNaN(bits)) {
                unknown++;
            } else if (!isNaNOrNonNegativeFinite(bits)) {
                return false;
            }
        }
        return unknown == 0 || unknown == wire.topK() && !weightsMustBeKnown;
    }

    /** binary16 bits: exponent all ones and a mantissa. */
    private static boolean isNaN(int bits) {
        return (bits & 0x7C00) == 0x7C00 && (bits & 0x3FF) != 0;
    }

    /** binary16 bits of a NaN, or of a finite value with the sign bit clear (or -0, which is not below 0). */
    private static boolean isNaNOrNonNegativeFinite(int bits) {
        return isNaN(bits) || bits == 0x8000 || (bits & 0x8000) == 0 && (bits & 0x7C00) != 0x7C00;
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
