package io.moescope.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link TokenRoutingSink} that builds one {@link TokenRouting}: for {@link TokenRoutingReader#read} (rare paths
 * and tests; ingest reads into columns). It builds the decisions only at {@link #endToken}, because the reader
 * checks them once the whole record is read. Not thread-safe.
 */
final class SingleTokenSink implements TokenRoutingSink {

    private String runId;
    private String requestId;
    private int tokenIndex;
    private int tokenId;
    private Phase phase;
    private long timestampMicros;
    private final List<Pending> decisions = new ArrayList<>();
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
        decisions.add(new Pending(layer, entropy));
    }

    @Override
    public void addExpert(int expert, float weight) {
        decisions.get(decisions.size() - 1).add(expert, weight);
    }

    @Override
    public void setWeight(int nth, float weight) {
        decisions.get(decisions.size() - 1).weights[nth] = weight;
    }

    @Override
    public void setLastEntropy(float entropy) {
        decisions.get(decisions.size() - 1).entropy = entropy;
    }

    @Override
    public void endToken() {
        token = new TokenRouting(runId, requestId, tokenIndex, tokenId, phase, timestampMicros,
                decisions.stream().map(Pending::decision).toList());
    }

    @Override
    public void truncate(int tokens) {
        if (tokens == 0) {
            token = null;
            decisions.clear();
        }
    }

    /** The token ended last. */
    TokenRouting token() {
        return token;
    }

    /** A decision as it is read, not yet checked. */
    private static final class Pending {
        private final int layer;
        private float entropy;
        private int size;
        private int[] expertIds = new int[8];
        private float[] weights = new float[8];

        Pending(int layer, float entropy) {
            this.layer = layer;
            this.entropy = entropy;
        }

        void add(int expert, float weight) {
            if (size == expertIds.length) {
                expertIds = Arrays.copyOf(expertIds, size * 2);
                weights = Arrays.copyOf(weights, size * 2);
            }
            expertIds[size] = expert;
            weights[size++] = weight;
        }

        RouterDecision decision() {
            return new RouterDecision(layer, Arrays.copyOf(expertIds, size), Arrays.copyOf(weights, size), entropy);
        }
    }
}
