package io.moescope.events.validation;

/**
 * The model-free rules a token routing must satisfy to be stored, shared by ingest (which also checks the run's
 * model, see ingest's {@code TokenValidator}) and the trace importers (which check before sending, so that an
 * import's summary counts what is stored):
 * <ul>
 *   <li>gate weights finite and non-negative or, for a whole decision, unknown (NaN);</li>
 *   <li>router entropy (when known) finite and non-negative;</li>
 *   <li>distinct experts within a layer;</li>
 *   <li>everything {@link StorableTokens} needs for one row.</li>
 * </ul>
 * The first violation found is reported. Stateless and thread-safe.
 */
public final class TokenRules {

    /** Entropy is computed in float: a one-hot distribution may come out a hair below zero. */
    private static final float ENTROPY_TOLERANCE = 1e-3f;

    private TokenRules() {
    }

    /**
     * @throws RejectedTokenException saying why the token must not be stored
     */
    public static void check(TokenView token) {
        int decisions = token.decisionCount();
        for (int d = 0; d < decisions; d++) {
            checkDecision(token, d, false);
        }
        checkStorable(token);
    }

    /**
     * The per-decision rules of decision {@code d}: weights, entropy, distinct experts.
     *
     * @param weightsMustBeKnown whether an unknown (NaN) weight is refused too: in a probe run, whose weights come
     *        from a router we ran, a NaN is a numerical failure
     * @throws RejectedTokenException saying why the token must not be stored
     */
    public static void checkDecision(TokenView token, int d, boolean weightsMustBeKnown) {
        int layer = token.layer(d);
        int k = token.topK(d);
        checkWeights(token, d, weightsMustBeKnown);
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

    /**
     * @throws RejectedTokenException when the token cannot be one {@code token_routing} row
     */
    public static void checkStorable(TokenView token) {
        try {
            StorableTokens.check(token);
        } catch (IllegalArgumentException e) {
            throw new RejectedTokenException(RejectReason.NOT_STORABLE, "token routing cannot be stored: "
                    + e.getMessage());
        }
    }

    /**
     * A decision's gate weights are all known (finite, non-negative) or all unknown (NaN: traces that record expert
     * ids only, see the importers). Partly unknown, infinite or negative weights are refused.
     */
    private static void checkWeights(TokenView token, int d, boolean weightsMustBeKnown) {
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
        if (unknown > 0 && weightsMustBeKnown) {
            throw new RejectedTokenException(RejectReason.INVALID_WEIGHT, "layer " + token.layer(d)
                    + ": NaN gate weights in a probe run (a probe knows every weight)");
        }
    }
}
