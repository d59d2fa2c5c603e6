package io.moescope.events.validation;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.List;

/**
 * Read access to one token's routing, whether it lives in a {@link TokenRouting} or in a row of a columnar batch
 * (ingest's {@code TokenBatch}): what validation needs, without materialising objects on ingest's hot path.
 */
public interface TokenView {

    String runId();

    String requestId();

    int tokenIndex();

    long timestampMicros();

    /** MoE layers the token was routed at (decisions). */
    int decisionCount();

    /** Layer index of decision {@code d}. */
    int layer(int d);

    /** Experts chosen at decision {@code d}. */
    int topK(int d);

    int expert(int d, int j);

    float weight(int d, int j);

    /** Router entropy of decision {@code d}, NaN when unknown. */
    float routerEntropy(int d);

    static TokenView of(TokenRouting token) {
        return of(token.runId(), token.requestId(), token.tokenIndex(), token.timestampMicros(), token.decisions());
    }

    /** A token given by its parts, e.g. one row of an imported trace as a token of one decision. */
    static TokenView of(String runId, String requestId, int tokenIndex, long timestampMicros,
                        List<RouterDecision> decisions) {
        return new TokenView() {
            @Override
            public String runId() {
                return runId;
            }

            @Override
            public String requestId() {
                return requestId;
            }

            @Override
            public int tokenIndex() {
                return tokenIndex;
            }

            @Override
            public long timestampMicros() {
                return timestampMicros;
            }

            @Override
            public int decisionCount() {
                return decisions.size();
            }

            @Override
            public int layer(int d) {
                return decisions.get(d).layer();
            }

            @Override
            public int topK(int d) {
                return decisions.get(d).topK();
            }

            @Override
            public int expert(int d, int j) {
                return decisions.get(d).expertIds()[j];
            }

            @Override
            public float weight(int d, int j) {
                return decisions.get(d).weights()[j];
            }

            @Override
            public float routerEntropy(int d) {
                return decisions.get(d).routerEntropy();
            }
        };
    }
}
