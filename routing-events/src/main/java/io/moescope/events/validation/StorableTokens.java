package io.moescope.events.validation;

import io.moescope.events.TokenRouting;

/**
 * What a {@link TokenRouting} must satisfy to fit one {@code token_routing} row. The codec accepts more than the
 * table can hold; a consumer checks this first so that such a record is dead-lettered instead of failing (and
 * endlessly retrying) the whole batch.
 */
public final class StorableTokens {

    /**
     * The largest expert id a row holds: {@code smallint}'s, the type of V1's {@code expert_ids} that the packed
     * column (V51) keeps as a bound, and of what the SQL functions that unpack it return.
     */
    public static final int MAX_EXPERT_ID = Short.MAX_VALUE;

    /** The most experts a model's rows can name, ids 0..{@link #MAX_EXPERT_ID}: a bound on N and on top-k alike. */
    public static final int MAX_EXPERTS = MAX_EXPERT_ID + 1;

    /** The largest layer index a row holds: {@code smallint}'s, as for {@link #MAX_EXPERT_ID}. */
    public static final int MAX_LAYER = Short.MAX_VALUE;

    private StorableTokens() {
    }

    /**
     * @throws IllegalArgumentException saying why the token cannot be stored
     */
    public static void check(TokenRouting token) {
        check(TokenView.of(token));
    }

    /**
     * @throws IllegalArgumentException saying why the token cannot be stored
     */
    public static void check(TokenView token) {
        checkText("runId", token.runId());
        checkText("requestId", token.requestId());
        int decisions = token.decisionCount();
        int previousLayer = -1;
        int topK = decisions == 0 ? 0 : token.topK(0);
        for (int d = 0; d < decisions; d++) {
            int layer = token.layer(d);
            // One k per row: the packed routing (V51) stores the ids layer-major with one k.
            if (token.topK(d) != topK) {
                throw new IllegalArgumentException("layer " + layer + " has top-" + token.topK(d)
                        + " but layer " + token.layer(0) + " has top-" + topK);
            }
            // Strictly increasing: a repeated layer would be counted twice in expert_load.
            if (layer <= previousLayer) {
                throw new IllegalArgumentException("layers not strictly increasing: " + layer + " after "
                        + previousLayer);
            }
            if (layer > MAX_LAYER) {
                throw new IllegalArgumentException("layer " + layer + " does not fit smallint");
            }
            for (int j = 0; j < topK; j++) {
                int expert = token.expert(d, j);
                if (expert > MAX_EXPERT_ID) {
                    throw new IllegalArgumentException("layer " + layer + ": expert id " + expert
                            + " does not fit smallint");
                }
            }
            previousLayer = layer;
        }
    }

    private static void checkText(String field, String value) {
        // PostgreSQL text cannot hold NUL; COPY would reject the whole batch.
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " contains a NUL character");
        }
    }
}
