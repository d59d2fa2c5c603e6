package io.moescope.ingest.copy;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;

/**
 * What a {@link TokenRouting} must satisfy to fit one {@code token_routing} row. The codec accepts more than the
 * table can hold; a consumer checks this first so that such a record is dead-lettered instead of failing (and
 * endlessly retrying) the whole batch.
 */
public final class StorableTokens {

    private StorableTokens() {
    }

    /**
     * @throws IllegalArgumentException saying why the token cannot be stored
     */
    public static void check(TokenRouting token) {
        checkText("runId", token.runId());
        checkText("requestId", token.requestId());
        List<RouterDecision> decisions = token.decisions();
        int previousLayer = -1;
        int topK = decisions.isEmpty() ? 0 : decisions.get(0).topK();
        for (RouterDecision decision : decisions) {
            // The arrays are layer-major with one k per row (V1 schema): expert_ids[(i-1)*k+1 .. i*k].
            if (decision.topK() != topK) {
                throw new IllegalArgumentException("layer " + decision.layer() + " has top-" + decision.topK()
                        + " but layer " + decisions.get(0).layer() + " has top-" + topK);
            }
            // Strictly increasing: a repeated layer would be counted twice in expert_load.
            if (decision.layer() <= previousLayer) {
                throw new IllegalArgumentException("layers not strictly increasing: " + decision.layer()
                        + " after " + previousLayer);
            }
            if (decision.layer() > Short.MAX_VALUE) {
                throw new IllegalArgumentException("layer " + decision.layer() + " does not fit smallint");
            }
            for (int expert : decision.expertIds()) {
                if (expert > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("layer " + decision.layer() + ": expert id " + expert
                            + " does not fit smallint");
                }
            }
            previousLayer = decision.layer();
        }
    }

    private static void checkText(String field, String value) {
        // PostgreSQL text cannot hold NUL; COPY would reject the whole batch.
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " contains a NUL character");
        }
    }
}
