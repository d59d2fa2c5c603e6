package io.moescope.ingest.copy;

import io.moescope.events.PackedRouting;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.TokenRoutingSink;
import io.moescope.events.validation.TokenView;
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
 *
 * <p>A token that came packed (schema version 2, nearly every token since) is not decoded at all: its packed bytes
 * are copied into that buffer as they are ({@link #addPacked}), its decisions stay out of the columns, and validation
 * ({@link #wireRouting}), the rollups and the COPY read those bytes.
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
    /** Per token, its decisions, whether in the columns or (when it came packed) only in its packed routing. */
    private int[] decisionCounts;
    /** Per token, whether it came packed: its decisions are then in its packed routing only, not in the columns. */
    private boolean[] packedOnWire;
    private final PackedRouting.View routing = new PackedRouting.View();

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
        decisionCounts = new int[tokens];
        packedOnWire = new boolean[tokens];
    }

    public static TokenBatch of(List<TokenRouting> tokens) {
        var batch = new TokenBatch(tokens.size());
        tokens.forEach(batch::add);
        return batch;
    }

    @Override
    public void beginToken(String runId, String requestId, int tokenIndex, int tokenId, Phase phase, long micros) {
        setToken(runId, requestId, tokenIndex, tokenId, phase, micros);
        packedOnWire[size] = false;
        encoder.begin();
    }

    /** Stores the bytes as the token's packed routing; its decisions are read from them, not from columns. */
    @Override
    public void addPacked(String runId, String requestId, int tokenIndex, int tokenId, Phase phase, long micros,
                          byte[] bytes, int offset, int length) {
        setToken(runId, requestId, tokenIndex, tokenId, phase, micros);
        packedOnWire[size] = true;
        if (routings.remaining() < length) {
            growRoutings(length);
        }
        int at = routings.position();
        routings.put(bytes, offset, length);
        routing.at(routings.array(), at);
        routingProblems[size] = null;
        maxLayers[size] = routing.maxLayer();
        maxExpertIds[size] = routing.maxExpertId();
        decisionCounts[size] = routing.layerCount();
        size++;
        firstDecision[size] = decisions;
        firstRouting[size] = routings.position();
    }

    private void setToken(String runId, String requestId, int tokenIndex, int tokenId, Phase phase, long micros) {
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
            decisionCounts = Arrays.copyOf(decisionCounts, capacity);
            packedOnWire = Arrays.copyOf(packedOnWire, capacity);
        }
        runIds[size] = runId;
        requestIds[size] = requestId;
        tokenIndexes[size] = tokenIndex;
        tokenIds[size] = tokenId;
        phases[size] = (byte) phase.code();
        this.micros[size] = micros;
        firstDecision[size] = decisions;
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
        decisionCounts[size] = decisions - firstDecision[size];
        if (encoder.problem() == null) {
            int bytes = encoder.size();
            if (routings.remaining() < bytes) {
                growRoutings(bytes);
            }
            encoder.write(routings);
        }
        size++;
        firstDecision[size] = decisions;
        firstRouting[size] = routings.position();
    }

    private void growRoutings(int bytes) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(routings.capacity() * 2, routings.position() + bytes));
        routings = larger.put(routings.flip());
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
        long all = 0;
        for (int t = 0; t < size; t++) {
            all += decisionCounts[t];
        }
        return all;
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

    /**
     * The token's packed routing, as it came (packed on the wire) or as the batch packed it; the view is reused by
     * the next call.
     *
     * @throws IllegalArgumentException when the packed layout cannot hold the token, naming the field and its bound
     */
    PackedRouting.View routing(int token) {
        routingLength(token);
        return routing.at(routings.array(), firstRouting[token]);
    }

    /**
     * The token's packed routing as it came on the wire, for a check on those bytes before decoding them; null when
     * the token came with its decisions listed (then its columns hold them). The view is reused by the next call.
     */
    public PackedRouting.View wireRouting(int token) {
        return packedOnWire[token] ? routing.at(routings.array(), firstRouting[token]) : null;
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
        if (packedOnWire[token]) {
            return new TokenRouting(runIds[token], requestIds[token], tokenIndexes[token], tokenIds[token],
                    Phase.ofCode(phases[token]), micros[token], wireRouting(token).decisions());
        }
        var list = new ArrayList<RouterDecision>(firstDecision[token + 1] - firstDecision[token]);
        for (int d = firstDecision[token]; d < firstDecision[token + 1]; d++) {
            int from = firstExpert[d];
            int to = firstExpert[d + 1];
            list.add(new RouterDecision(layers[d], Arrays.copyOfRange(expertIds, from, to),
                    Arrays.copyOfRange(weights, from, to), entropies[d]));
        }
        return new TokenRouting(runIds[token], requestIds[token], tokenIndexes[token], tokenIds[token],
                Phase.ofCode(phases[token]), micros[token], list);
    }

    /**
     * A view of token {@code token}, of its columns or (when it came packed) of its packed routing, weights and
     * entropies then as binary16 gives them; the returned object is reused by the next call.
     */
    public TokenView view(int token) {
        if (packedOnWire[token]) {
            packedCursor.token = token;
            packedCursor.routing.at(routings.array(), firstRouting[token]);
            return packedCursor;
        }
        cursor.token = token;
        cursor.first = firstDecision[token];
        return cursor;
    }

    private final Cursor cursor = new Cursor();
    private final PackedCursor packedCursor = new PackedCursor();

    /** The token's fields from the batch's per-token columns. */
    private abstract class TokenFields implements TokenView {
        int token;

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
    }

    /** A {@link TokenView} positioned on one token of this batch that came packed. */
    private final class PackedCursor extends TokenFields {
        private final PackedRouting.View routing = new PackedRouting.View();

        @Override
        public int decisionCount() {
            return routing.layerCount();
        }

        @Override
        public int layer(int d) {
            return routing.layer(d);
        }

        @Override
        public int topK(int d) {
            return routing.topK();
        }

        @Override
        public int expert(int d, int j) {
            return routing.expert(d, j);
        }

        @Override
        public float weight(int d, int j) {
            return routing.weight(d, j);
        }

        @Override
        public float routerEntropy(int d) {
            return routing.entropy(d);
        }
    }

    /** A {@link TokenView} positioned on one token of this batch, in its columns. */
    private final class Cursor extends TokenFields {
        private int first;

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
