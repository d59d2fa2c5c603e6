package io.moescope.events.validation;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;

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
        return new TokenView() {
            @Override
            public String runId() {
                return token.runId();
            }

            @Override
            public String requestId() {
                return token.requestId();
            }

            @Override
            public int tokenIndex() {
                return token.tokenIndex();
            }

            @Override
            public long timestampMicros() {
                return token.timestampMicros();
            }

            @Override
            public int decisionCount() {
                return token.decisions().size();
            }

            @Override
            public int layer(int d) {
                return decision(d).layer();
            }

            @Override
            public int topK(int d) {
                return decision(d).topK();
            }

            @Override
            public int expert(int d, int j) {
                return decision(d).expertIds()[j];
            }

            @Override
            public float weight(int d, int j) {
                return decision(d).weights()[j];
            }

            @Override
            public float routerEntropy(int d) {
                return decision(d).routerEntropy();
            }

            private RouterDecision decision(int d) {
                return token.decisions().get(d);
            }
        };
    }
}
