package io.moescope.events;

/**
 * Where {@link TokenRoutingReader} puts what it decodes, call by call, so that a consumer can keep tokens in columns
 * of primitive arrays instead of one object per decision. Calls come in this order for each token:
 * {@link #beginToken}, then per decision {@link #addDecision} followed by its {@link #addExpert}s (and maybe
 * {@link #setWeight}s and {@link #setLastEntropy}), then {@link #endToken}; or one {@link #addPacked}. A refused
 * record is taken back with {@link #truncate}.
 */
public interface TokenRoutingSink {

    /** Tokens ended so far. */
    int size();

    void beginToken(String runId, String requestId, int tokenIndex, int tokenId, Phase phase, long timestampMicros);

    /** @param entropy NaN when unknown */
    void addDecision(int layer, float entropy);

    /** Adds an expert and its gate weight to the decision added last. */
    void addExpert(int expert, float weight);

    /**
     * Sets the weight of the {@code nth} expert (from 0) of the decision added last. The wire carries all of a
     * decision's weights after all of its ids, so the reader adds each expert with weight 0 and sets the weights as
     * they come: no copy of the ids on the way.
     */
    void setWeight(int nth, float weight);

    /** Sets the entropy of the decision added last (the wire carries it after the experts). */
    void setLastEntropy(float entropy);

    void endToken();

    /** Forgets the tokens from {@code tokens} on, including one begun but not ended. */
    void truncate(int tokens);

    /**
     * Appends a whole token whose decisions came packed ({@link PackedRouting}, the {@code length} bytes at
     * {@code offset}, checked to be a packed value): a sink that stores them so copies them; by default they are
     * added decision by decision, weights and entropies as binary16 gives them.
     */
    default void addPacked(String runId, String requestId, int tokenIndex, int tokenId, Phase phase,
                           long timestampMicros, byte[] bytes, int offset, int length) {
        PackedRouting.View routing = new PackedRouting.View().at(bytes, offset);
        beginToken(runId, requestId, tokenIndex, tokenId, phase, timestampMicros);
        for (int d = 0; d < routing.layerCount(); d++) {
            addDecision(routing.layer(d), routing.entropy(d));
            for (int j = 0; j < routing.topK(); j++) {
                addExpert(routing.expert(d, j), routing.weight(d, j));
            }
        }
        endToken();
    }

    /** Appends a whole token, in the order of calls above. */
    default void add(TokenRouting token) {
        beginToken(token.runId(), token.requestId(), token.tokenIndex(), token.tokenId(), token.phase(),
                token.timestampMicros());
        for (RouterDecision d : token.decisions()) {
            addDecision(d.layer(), d.routerEntropy());
            for (int j = 0; j < d.expertIds().length; j++) {
                addExpert(d.expertIds()[j], d.weights()[j]);
            }
        }
        endToken();
    }
}
