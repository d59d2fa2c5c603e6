package io.moescope.events;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * A {@link TokenRoutingSink} that builds one {@link TokenRouting}: for {@link TokenRoutingReader#read} (rare paths
 * and tests; ingest reads into columns). It keeps the decisions in columns until {@link #endToken}, because the
 * reader checks them only once the whole record is read. Not thread-safe.
 */
final class SingleTokenSink implements TokenRoutingSink {

    private String runId;
    private String requestId;
    private int tokenIndex;
    private int tokenId;
    private Phase phase;
    private long timestampMicros;
    private int decisions;
    private int[] layers = new int[8];
    private float[] entropies = new float[8];
    /** Per decision, its first expert; {@code firstExpert[decisions]} is the number of experts. */
    private int[] firstExpert = new int[9];
    private int experts;
    private int[] expertIds = new int[16];
    private float[] weights = new float[16];
    private TokenRouting token;

    @Override
    public int size() {
        return token == null ? 0 : 1;
    }

    @Override
    public void beginToken(String runId, String requestId, int tokenIndex, int tokenId, Phase phase,
                           long timestampMicros) {
        if (token != null) {
            throw new IllegalStateException("holds one token only");
        }
        this.runId = runId;
        this.requestId = requestId;
        this.tokenIndex = tokenIndex;
        this.tokenId = tokenId;
        this.phase = phase;
        this.timestampMicros = timestampMicros;
    }

    @Override
    public void addDecision(int layer, float entropy) {
        if (decisions + 1 == firstExpert.length) {
            layers = Arrays.copyOf(layers, decisions * 2);
            entropies = Arrays.copyOf(entropies, decisions * 2);
            firstExpert = Arrays.copyOf(firstExpert, decisions * 2 + 1);
        }
        layers[decisions] = layer;
        entropies[decisions] = entropy;
        firstExpert[decisions] = experts;
        decisions++;
        firstExpert[decisions] = experts;
    }

    @Override
    public void addExpert(int expert, float weight) {
        if (experts == expertIds.length) {
            expertIds = Arrays.copyOf(expertIds, experts * 2);
            weights = Arrays.copyOf(weights, experts * 2);
        }
        expertIds[experts] = expert;
        weights[experts] = weight;
        experts++;
        firstExpert[decisions] = experts;
    }

    @Override
    public void setLastEntropy(float entropy) {
        entropies[decisions - 1] = entropy;
    }

    @Override
    public void endToken() {
        var list = new ArrayList<RouterDecision>(decisions);
        for (int d = 0; d < decisions; d++) {
            list.add(new RouterDecision(layers[d], Arrays.copyOfRange(expertIds, firstExpert[d], firstExpert[d + 1]),
                    Arrays.copyOfRange(weights, firstExpert[d], firstExpert[d + 1]), entropies[d]));
        }
        token = new TokenRouting(runId, requestId, tokenIndex, tokenId, phase, timestampMicros, list);
    }

    @Override
    public void truncate(int tokens) {
        if (tokens == 0) {
            token = null;
            decisions = 0;
            experts = 0;
            firstExpert[0] = 0;
        }
    }

    /** The token ended last. */
    TokenRouting token() {
        return token;
    }
}
