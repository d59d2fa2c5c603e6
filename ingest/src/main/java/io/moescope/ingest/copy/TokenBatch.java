package io.moescope.ingest.copy;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.TokenRoutingSink;
import io.moescope.events.validation.TokenView;
import io.moescope.storage.routing.PackedRouting;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Token routings in columns: per token its ids, index, phase and time; per decision (token x layer) its layer and
 * entropy; per chosen expert its id and gate weight. What ingest decodes records into and writes from, so that a
 * batch of thousands of tokens is a dozen arrays instead of a hundred thousand objects. Built by appending, as the
 * {@link TokenRoutingSink} that {@link io.moescope.events.TokenRoutingReader} decodes into; not thread-safe.
 *
 * <p>Each token's {@code routing} column is packed in the same pass, as its decisions are read
 * ({@link PackedRouting.Encoder}), into one buffer of the batch: the COPY then copies those bytes, and the rollups
 * size their vectors by each token's largest layer and expert id, found on the way, instead of reading every
 * decision again. A token the packed layout cannot hold is kept with the reason, which writing it raises.
 */
public final class TokenBatch implements TokenRoutingSink {

    private int size;
    private String[] runIds;
    private String[] requestIds;
    private int[] tokenIndexes;
    private int[] tokenIds;
    private byte[] phases;
    private long[] micros;
    /** Per token, its first decision; {@code firstDecision[size]} is the number of decisions. */
    private int[] firstDecision;
    private int decisions;
    private int[] layers;
    private float[] entropies;
    /** Per decision, its first expert; {@code firstExpert[decisions]} is the number of experts. */
    private int[] firstExpert;
    private int experts;
    private int[] expertIds;
    private float[] weights;
    private final PackedRouting.Encoder encoder = new PackedRouting.Encoder();
    /** The packed routings, token after token; token t's are from {@code firstRouting[t]} to {@code [t + 1]}. */
    private ByteBuffer routings;
    private int[] firstRouting;
    /** Per token, why its routing could not be packed, or null. */
    private String[] routingProblems;
    private int[] maxLayers;
    private int[] maxExpertIds;

    public TokenBatch(int expectedTokens) {
        int tokens = Math.max(1, expectedTokens);
        runIds = new String[tokens];
        requestIds = new String[tokens];
        tokenIndexes = new int[tokens];
        tokenIds = new int[tokens];
        phases = new byte[tokens];
        micros = new long[tokens];
        firstDecision = new int[tokens + 1];
        layers = new int[tokens * 32];
        entropies = new float[tokens * 32];
        firstExpert = new int[tokens * 32 + 1];
        expertIds = new int[tokens * 64];
        weights = new float[tokens * 64];
        routings = ByteBuffer.allocate(tokens * 256);
        firstRouting = new int[tokens + 1];
        routingProblems = new String[tokens];
        maxLayers = new int[tokens];
        maxExpertIds = new int[tokens];
    }

    public static TokenBatch of(List<TokenRouting> tokens) {
        var batch = new TokenBatch(tokens.size());
        tokens.forEach(batch::add);
        return batch;
    }

    @Override
    public void beginToken(String runId, String requestId, int tokenIndex, int tokenId, Phase phase, long micros) {
        if (size + 1 >= firstDecision.length) {
            int capacity = Math.max(16, size * 2);
            runIds = Arrays.copyOf(runIds, capacity);
            requestIds = Arrays.copyOf(requestIds, capacity);
            tokenIndexes = Arrays.copyOf(tokenIndexes, capacity);
            tokenIds = Arrays.copyOf(tokenIds, capacity);
            phases = Arrays.copyOf(phases, capacity);
            this.micros = Arrays.copyOf(this.micros, capacity);
            firstDecision = Arrays.copyOf(firstDecision, capacity + 1);
            firstRouting = Arrays.copyOf(firstRouting, capacity + 1);
            routingProblems = Arrays.copyOf(routingProblems, capacity);
            maxLayers = Arrays.copyOf(maxLayers, capacity);
            maxExpertIds = Arrays.copyOf(maxExpertIds, capacity);
        }
        runIds[size] = runId;
        requestIds[size] = requestId;
        tokenIndexes[size] = tokenIndex;
        tokenIds[size] = tokenId;
        phases[size] = (byte) phase.code();
        this.micros[size] = micros;
        firstDecision[size] = decisions;
        encoder.begin();
    }

    /** @param entropy NaN when unknown */
    @Override
    public void addDecision(int layer, float entropy) {
        if (decisions + 1 >= firstExpert.length) {
            int capacity = Math.max(64, decisions * 2);
            layers = Arrays.copyOf(layers, capacity);
            entropies = Arrays.copyOf(entropies, capacity);
            firstExpert = Arrays.copyOf(firstExpert, capacity + 1);
        }
        layers[decisions] = layer;
        entropies[decisions] = entropy;
        firstExpert[decisions] = experts;
        decisions++;
        firstExpert[decisions] = experts;
        encoder.decision(layer, entropy);
    }

    @Override
    public void addExpert(int expert, float weight) {
        if (experts == expertIds.length) {
            int capacity = Math.max(128, experts * 2);
            expertIds = Arrays.copyOf(expertIds, capacity);
            weights = Arrays.copyOf(weights, capacity);
        }
        expertIds[experts] = expert;
        weights[experts] = weight;
        experts++;
        firstExpert[decisions] = experts;
        encoder.expert(expert, weight);
    }

    @Override
    public void setWeight(int nth, float weight) {
        weights[firstExpert[decisions - 1] + nth] = weight;
        encoder.weight(nth, weight);
    }

    /** Sets the entropy of the decision added last. */
    @Override
    public void setLastEntropy(float entropy) {
        entropies[decisions - 1] = entropy;
        encoder.entropy(entropy);
    }

    @Override
    public void endToken() {
        encoder.end();
        routingProblems[size] = encoder.problem();
        maxLayers[size] = encoder.maxLayer();
        maxExpertIds[size] = encoder.maxExpertId();
        if (encoder.problem() == null) {
            int bytes = encoder.size();
            if (routings.remaining() < bytes) {
                ByteBuffer larger = ByteBuffer.allocate(Math.max(routings.capacity() * 2, routings.position() + bytes));
                routings = larger.put(routings.flip());
            }
            encoder.write(routings);
        }
        size++;
        firstDecision[size] = decisions;
        firstRouting[size] = routings.position();
    }

    /** Forgets the tokens from {@code tokens} on, including one begun but not ended. */
    @Override
    public void truncate(int tokens) {
        if (tokens > size) {
            throw new IllegalArgumentException("cannot truncate " + size + " tokens to " + tokens);
        }
        size = tokens;
        decisions = firstDecision[tokens];
        experts = firstExpert[decisions];
        firstDecision[size] = decisions;
        firstExpert[decisions] = experts;
        routings.position(firstRouting[size]);
    }

    @Override
    public int size() {
        return size;
    }

    /** Tokens the batch holds before its per-token arrays grow. */
    public int tokenCapacity() {
        return firstDecision.length - 1;
    }

    /** Experts added so far, over all tokens (the index the next expert gets). */
    public int expertCount() {
        return experts;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Decisions (token x layer) of all tokens. */
    public long decisions() {
        return firstDecision[size];
    }

    public String runId(int token) {
        return runIds[token];
    }

    public String requestId(int token) {
        return requestIds[token];
    }

    public int tokenIndex(int token) {
        return tokenIndexes[token];
    }

    public int tokenId(int token) {
        return tokenIds[token];
    }

    /** The schema's phase code ({@link Phase#code}). */
    public int phaseCode(int token) {
        return phases[token];
    }

    public long timestampMicros(int token) {
        return micros[token];
    }

    public int firstDecision(int token) {
        return firstDecision[token];
    }

    /** One past the token's last decision. */
    public int endDecision(int token) {
        return firstDecision[token + 1];
    }

    public int layer(int decision) {
        return layers[decision];
    }

    public int firstExpert(int decision) {
        return firstExpert[decision];
    }

    /** One past the decision's last expert. */
    public int endExpert(int decision) {
        return firstExpert[decision + 1];
    }

    public int expertId(int expert) {
        return expertIds[expert];
    }

    /** The largest layer of the token's decisions (0 when it has none). */
    int maxLayer(int token) {
        return maxLayers[token];
    }

    /** The largest expert id of the token's decisions (0 when it has none). */
    int maxExpertId(int token) {
        return maxExpertIds[token];
    }

    /**
     * Bytes of the token's packed routing.
     *
     * @throws IllegalArgumentException when the packed layout cannot hold the token, naming the field and its bound
     */
    int routingLength(int token) {
        if (routingProblems[token] != null) {
            throw new IllegalArgumentException("token " + tokenIndexes[token] + " of request " + requestIds[token]
                    + " cannot be packed: " + routingProblems[token]);
        }
        return firstRouting[token + 1] - firstRouting[token];
    }

    /** Writes the token's packed routing ({@link #routingLength} bytes) at {@code out}'s position. */
    void putRouting(int token, ByteBuffer out) {
        out.put(routings.array(), firstRouting[token], routingLength(token));
    }

    /** Token {@code token} as an event (for rare paths and tests; the hot path reads the columns). */
    public TokenRouting token(int token) {
        var list = new ArrayList<RouterDecision>(endDecision(token) - firstDecision(token));
        for (int d = firstDecision(token); d < endDecision(token); d++) {
            int from = firstExpert(d);
            int to = endExpert(d);
            list.add(new RouterDecision(layers[d], Arrays.copyOfRange(expertIds, from, to),
                    Arrays.copyOfRange(weights, from, to), entropies[d]));
        }
        return new TokenRouting(runIds[token], requestIds[token], tokenIndexes[token], tokenIds[token],
                Phase.ofCode(phases[token]), micros[token], list);
    }

    /** A view of token {@code token}; the returned object is reused by the next call. */
    public Cursor view(int token) {
        cursor.token = token;
        cursor.first = firstDecision[token];
        return cursor;
    }

    private final Cursor cursor = new Cursor();

    /** A {@link TokenView} positioned on one token of this batch. */
    public final class Cursor implements TokenView {
        private int token;
        private int first;

        @Override
        public String runId() {
            return runIds[token];
        }

        @Override
        public String requestId() {
            return requestIds[token];
        }

        @Override
        public int tokenIndex() {
            return tokenIndexes[token];
        }

        @Override
        public long timestampMicros() {
            return micros[token];
        }

        @Override
        public int decisionCount() {
            return firstDecision[token + 1] - first;
        }

        @Override
        public int layer(int d) {
            return layers[first + d];
        }

        @Override
        public int topK(int d) {
            return firstExpert[first + d + 1] - firstExpert[first + d];
        }

        @Override
        public int expert(int d, int j) {
            return expertIds[firstExpert[first + d] + j];
        }

        @Override
        public float weight(int d, int j) {
            return weights[firstExpert[first + d] + j];
        }

        @Override
        public float routerEntropy(int d) {
            return entropies[first + d];
        }
    }
}
