package io.moescope.events;

import io.moescope.events.validation.TokenView;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The codec of {@code token_routing.routing} (since V51): one token's decisions (layers, expert ids, gate weights,
 * router entropies) packed into one {@code bytea}, instead of four arrays whose headers alone took 96 B a row. Every
 * writer and reader of the column uses it; {@code R__routing_codec.sql} is its SQL twin (V51's conversion of older
 * rows and ad-hoc queries; a test holds both to the same bytes). The routing record carries the same bytes (schema
 * version 2, {@link TokenRoutingLayout}), so that ingest stores what it receives; hence its place in
 * {@code routing-events}. Layout (docs/operations.md, "Storage"), big-endian:
 *
 * <pre>
 *   flags      1 byte    bit 0: expert ids take 2 bytes (else 1: every id of the row is below 256)
 *                        bit 1: layers listed (else consecutive: layer i is first + i)
 *                        bit 2: no weights: every weight of the token is unknown (since 2026-12-07)
 *                        bit 3: no entropies: every router entropy of the token is unknown (since 2026-12-07)
 *   layers     2 bytes   L, the number of decisions
 *   top-k      2 bytes   k, experts per decision (the same at every layer)
 *   layer(s)   2 bytes   the first layer when consecutive; else 2 bytes for each of the L layers
 *   expert ids L*k ids of 1 or 2 bytes, layer-major, in the order captured
 *   weights    L*k binary16 bits ({@link HalfFloat}), in the ids' order; NaN (0x7E00) when unknown; none if bit 2
 *   entropies  L   binary16 bits; NaN (0x7E00) when unknown; none if bit 3
 * </pre>
 *
 * The encoder sets bit 2 (3) exactly when the token has weights (entropies) and every one is unknown (NaN, as
 * {@code TokenRules} reads unknown): vLLM and SGLang return expert ids only, and their tokens took three times the
 * bytes of their ids in NaNs. A left-out section reads as NaN throughout, what the NaNs written before the flags
 * read as, so a value of either form decodes to the same decisions; values without the flags, stored or sent before
 * them, are read as they always were. A token with a known weight keeps every weight, NaN where unknown.
 *
 * Layers, ids and k are unsigned 16-bit: {@code StorableTokens}' bounds (32767) keep every stored value inside.
 * {@link Encoder} writes it, {@link #decode} reads it.
 */
public final class PackedRouting {

    private static final int WIDE_IDS = 1;
    private static final int LISTED_LAYERS = 2;
    private static final int NO_WEIGHTS = 4;
    private static final int NO_ENTROPIES = 8;
    private static final int FLAGS = WIDE_IDS | LISTED_LAYERS | NO_WEIGHTS | NO_ENTROPIES;
    private static final int HEADER_BYTES = 5;

    private PackedRouting() {
    }

    /** {@code token}'s decisions packed. */
    public static byte[] encode(TokenView token) {
        var encoder = new Encoder();
        encoder.begin();
        for (int d = 0; d < token.decisionCount(); d++) {
            encoder.decision(token.layer(d), token.routerEntropy(d));
            for (int j = 0; j < token.topK(d); j++) {
                encoder.expert(token.expert(d, j), token.weight(d, j));
            }
        }
        encoder.end();
        ByteBuffer out = ByteBuffer.allocate(encoder.size());
        encoder.write(out);
        return out.array();
    }

    /**
     * The decisions of a packed value, weights and entropies as stored (rounded to binary16).
     *
     * @throws IllegalArgumentException when the bytes are not a packed value (too short, too long)
     */
    public static List<RouterDecision> decode(byte[] packed) {
        String problem = problem(packed, 0, packed.length);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new View().at(packed, 0).decisions();
    }

    /**
     * Why the {@code length} bytes at {@code offset} are not a packed value (shorter than the header, unknown flags,
     * a length other than the header makes), or null when they are one.
     */
    public static String problem(byte[] bytes, int offset, int length) {
        if (length < HEADER_BYTES + 2) {
            return "packed routing of " + length + " bytes: shorter than its " + (HEADER_BYTES + 2) + "-byte header";
        }
        int flags = bytes[offset];
        int layers = unsignedShort(bytes, offset + 1);
        int topK = unsignedShort(bytes, offset + 3);
        if ((flags & ~FLAGS) != 0) {
            return "packed routing with unknown flags " + flags + ": only bits 0 to 3 are defined";
        }
        boolean wide = (flags & WIDE_IDS) != 0;
        boolean consecutive = (flags & LISTED_LAYERS) == 0;
        long weightBytes = (flags & NO_WEIGHTS) == 0 ? 2 : 0;
        long entropyBytes = (flags & NO_ENTROPIES) == 0 ? 2 : 0;
        long expected = HEADER_BYTES + (consecutive ? 2 : 2L * layers)
                + (long) layers * topK * ((wide ? 2 : 1) + weightBytes) + layers * entropyBytes;
        if (length != expected) {
            return "packed routing of " + length + " bytes, but its header (flags " + flags + ", " + layers
                    + " layers, top-" + topK + ") makes " + expected;
        }
        return null;
    }

    private static int unsignedShort(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    /**
     * Reads one packed value where it lies (in a record received, in a batch's buffer) without decoding it first:
     * what ingest validates and counts a token from when it came packed. The value must be one ({@link #problem}
     * null). Reusable: {@link #at} moves it to the next value. Not thread-safe.
     */
    public static final class View {
        private byte[] bytes;
        private int layers;
        private int topK;
        private boolean wide;
        private boolean consecutive;
        private boolean hasWeights;
        private boolean hasEntropies;
        /** Where the layer list (or the first layer), the ids, the weights and the entropies start. */
        private int layersAt;
        private int idsAt;
        private int weightsAt;
        private int entropiesAt;

        /** Positions the view on the packed value at {@code offset}; returns it. */
        public View at(byte[] bytes, int offset) {
            this.bytes = bytes;
            int flags = bytes[offset];
            layers = unsignedShort(bytes, offset + 1);
            topK = unsignedShort(bytes, offset + 3);
            wide = (flags & WIDE_IDS) != 0;
            consecutive = (flags & LISTED_LAYERS) == 0;
            hasWeights = (flags & NO_WEIGHTS) == 0;
            hasEntropies = (flags & NO_ENTROPIES) == 0;
            layersAt = offset + HEADER_BYTES;
            idsAt = layersAt + (consecutive ? 2 : 2 * layers);
            weightsAt = idsAt + layers * topK * (wide ? 2 : 1);
            entropiesAt = weightsAt + (hasWeights ? 2 * layers * topK : 0);
            return this;
        }

        /** Decisions, one a layer. */
        public int layerCount() {
            return layers;
        }

        /** Experts per decision, the same at every layer. */
        public int topK() {
            return topK;
        }

        /** Whether layer {@code d} is the first layer plus {@code d} for every decision. */
        public boolean consecutiveLayers() {
            return consecutive;
        }

        public int layer(int d) {
            return consecutive ? unsignedShort(bytes, layersAt) + d : unsignedShort(bytes, layersAt + 2 * d);
        }

        public int expert(int d, int j) {
            int e = d * topK + j;
            return wide ? unsignedShort(bytes, idsAt + 2 * e) : bytes[idsAt + e] & 0xFF;
        }

        /** Puts decision {@code d}'s {@link #topK} expert ids into {@code ids}, from its start. */
        public void experts(int d, int[] ids) {
            int at = idsAt + d * topK * (wide ? 2 : 1);
            if (wide) {
                for (int j = 0; j < topK; j++) {
                    ids[j] = unsignedShort(bytes, at + 2 * j);
                }
            } else {
                for (int j = 0; j < topK; j++) {
                    ids[j] = bytes[at + j] & 0xFF;
                }
            }
        }

        /** Whether the value holds its weights; when not, every weight is unknown (flag bit 2). */
        public boolean hasWeights() {
            return hasWeights;
        }

        /** The binary16 bits of the gate weight of expert {@code j} at decision {@code d}; NaN's when unknown. */
        public int weightBits(int d, int j) {
            return hasWeights ? unsignedShort(bytes, weightsAt + 2 * (d * topK + j)) : HalfFloat.NaN;
        }

        public float weight(int d, int j) {
            return HalfFloat.toFloat((short) weightBits(d, j));
        }

        /** The binary16 bits of decision {@code d}'s router entropy; NaN's when unknown. */
        public int entropyBits(int d) {
            return hasEntropies ? unsignedShort(bytes, entropiesAt + 2 * d) : HalfFloat.NaN;
        }

        /** Decision {@code d}'s router entropy, NaN when unknown. */
        public float entropy(int d) {
            return HalfFloat.toFloat((short) entropyBits(d));
        }

        /** The largest layer (0 when there are none). */
        public int maxLayer() {
            int max = 0;
            for (int d = consecutive ? Math.max(0, layers - 1) : 0; d < layers; d++) {
                max = Math.max(max, layer(d));
            }
            return max;
        }

        /** The largest expert id (0 when there are none). */
        public int maxExpertId() {
            int max = 0;
            int experts = layers * topK;
            for (int e = 0; e < experts; e++) {
                max = Math.max(max, wide ? unsignedShort(bytes, idsAt + 2 * e) : bytes[idsAt + e] & 0xFF);
            }
            return max;
        }

        /** The decisions, weights and entropies as stored. */
        public List<RouterDecision> decisions() {
            var decisions = new ArrayList<RouterDecision>(layers);
            for (int d = 0; d < layers; d++) {
                int[] ids = new int[topK];
                float[] weights = new float[topK];
                for (int j = 0; j < topK; j++) {
                    ids[j] = expert(d, j);
                    weights[j] = weight(d, j);
                }
                decisions.add(new RouterDecision(layer(d), ids, weights, entropy(d)));
            }
            return decisions;
        }
    }

    /**
     * Packs one token's decisions as they are read, in the order a {@code TokenRouting} record carries them: per
     * decision its layer and entropy, then its experts (weights may come after the ids, {@link #weight}). Values are
     * converted as they come (weights and entropies to binary16) and the flags worked out on the way (ids below 256,
     * consecutive layers), so that writing the packed bytes is one copy: what ingest's decoding pass does for every
     * token (docs/operations.md, "Ingest and storage"). The layout's one implementation; {@link #encode} uses it too.
     * Reusable: {@link #begin} starts the next token. Not thread-safe.
     *
     * <p>A token the layout cannot hold (a layer or expert id outside 0..65535, layers of unequal top-k, more than
     * 65535 decisions, a top-k above 65535) is accepted while it is read, as a record is read whole before it is
     * validated, and refused by {@link #size} and {@link #write}, naming the field and its bound; {@link #problem}
     * says why without throwing. {@code StorableTokens}' bounds are tighter, so a token validated for storage
     * always packs.
     */
    public static final class Encoder {
        private static final int MAX_VALUE = 0xFFFF;

        private int decisions;
        private int experts;
        /** Experts of the decision read last, and the top-k of the token's first decision. */
        private int decisionExperts;
        private int topK;
        private int[] layers = new int[64];
        private short[] entropies = new short[64];
        private int[] ids = new int[256];
        private short[] weights = new short[256];
        private int maxExpertId;
        private int maxLayer;
        private boolean consecutive;
        /** Whether the token has weights (entropies) and every one is unknown: set by {@link #end}. */
        private boolean weightsUnknown;
        private boolean entropiesUnknown;
        private String problem;

        /** Starts a token: forgets the one before. */
        public void begin() {
            decisions = 0;
            experts = 0;
            decisionExperts = 0;
            topK = 0;
            maxExpertId = 0;
            maxLayer = 0;
            consecutive = true;
            weightsUnknown = false;
            entropiesUnknown = false;
            problem = null;
        }

        /** Starts the next decision, at {@code layer}; {@code entropy} NaN when unknown. */
        public void decision(int layer, float entropy) {
            endDecision();
            if (decisions == layers.length) {
                layers = Arrays.copyOf(layers, decisions * 2);
                entropies = Arrays.copyOf(entropies, decisions * 2);
            }
            if ((layer & ~MAX_VALUE) != 0 || decisions == MAX_VALUE) {
                refuseDecision(layer);
            }
            consecutive &= decisions == 0 || layer == layers[0] + decisions;
            maxLayer = Math.max(maxLayer, layer);
            layers[decisions] = layer;
            entropies[decisions] = HalfFloat.fromFloat(entropy);
            decisions++;
            decisionExperts = 0;
        }

        /** Adds an expert and its gate weight to the current decision. */
        public void expert(int id, float weight) {
            if (experts == ids.length) {
                ids = Arrays.copyOf(ids, experts * 2);
                weights = Arrays.copyOf(weights, experts * 2);
            }
            if ((id & ~MAX_VALUE) != 0) {
                refuseExpert(id);
            }
            maxExpertId = Math.max(maxExpertId, id);
            ids[experts] = id;
            weights[experts] = HalfFloat.fromFloat(weight);
            experts++;
            decisionExperts++;
        }

        /** Sets the gate weight of the {@code nth} expert (from 0) of the current decision. */
        public void weight(int nth, float weight) {
            weights[experts - decisionExperts + nth] = HalfFloat.fromFloat(weight);
        }

        /** Sets the router entropy of the current decision (NaN when unknown). */
        public void entropy(float entropy) {
            entropies[decisions - 1] = HalfFloat.fromFloat(entropy);
        }

        /** Ends the token: what follows are its packed size and bytes. */
        public void end() {
            endDecision();
            // Worked out once the values are final, as a weight or an entropy may be set after its decision.
            weightsUnknown = experts > 0 && allNaN(weights, experts);
            entropiesUnknown = decisions > 0 && allNaN(entropies, decisions);
        }

        /** Whether the first {@code count} binary16 values are NaN; {@link HalfFloat} stores every NaN as one. */
        private static boolean allNaN(short[] values, int count) {
            for (int i = 0; i < count; i++) {
                if (values[i] != HalfFloat.NaN) {
                    return false;
                }
            }
            return true;
        }

        /** Why the token cannot be packed, or null when it can. */
        public String problem() {
            return problem;
        }

        /** The largest expert id of the token (0 when it has none). */
        public int maxExpertId() {
            return maxExpertId;
        }

        /** The largest layer of the token (0 when it has none). */
        public int maxLayer() {
            return maxLayer;
        }

        /**
         * Bytes of the token packed.
         *
         * @throws IllegalArgumentException saying why the token cannot be packed
         */
        public int size() {
            requirePackable();
            int idBytes = maxExpertId > 0xFF ? 2 : 1;
            int layerBytes = consecutive ? 2 : 2 * decisions;
            return HEADER_BYTES + layerBytes + experts * (idBytes + (weightsUnknown ? 0 : 2))
                    + (entropiesUnknown ? 0 : decisions * 2);
        }

        /**
         * Writes the token packed ({@link #size} bytes) at {@code out}'s position, into its backing array (so
         * {@code out} is a heap buffer, as ingest's batch and {@link #encode} allocate): a {@code ByteBuffer} call per
         * value took 5.4 ns a decision, the array 2.4 (docs/benchmarks.md).
         *
         * @throws IllegalArgumentException saying why the token cannot be packed
         * @throws java.nio.BufferOverflowException when {@code out} has less room than that, writing nothing
         */
        public void write(ByteBuffer out) {
            int size = size();
            if (out.remaining() < size) {
                throw new BufferOverflowException();
            }
            byte[] bytes = out.array();
            int at = out.arrayOffset() + out.position();
            boolean wide = maxExpertId > 0xFF;
            bytes[at++] = (byte) ((wide ? WIDE_IDS : 0) | (consecutive ? 0 : LISTED_LAYERS)
                    | (weightsUnknown ? NO_WEIGHTS : 0) | (entropiesUnknown ? NO_ENTROPIES : 0));
            at = putShort(bytes, at, decisions);
            at = putShort(bytes, at, topK);
            if (consecutive) {
                at = putShort(bytes, at, decisions == 0 ? 0 : layers[0]);
            } else {
                for (int d = 0; d < decisions; d++) {
                    at = putShort(bytes, at, layers[d]);
                }
            }
            if (wide) {
                for (int e = 0; e < experts; e++) {
                    at = putShort(bytes, at, ids[e]);
                }
            } else {
                for (int e = 0; e < experts; e++) {
                    bytes[at++] = (byte) ids[e];
                }
            }
            if (!weightsUnknown) {
                for (int e = 0; e < experts; e++) {
                    at = putShort(bytes, at, weights[e]);
                }
            }
            if (!entropiesUnknown) {
                for (int d = 0; d < decisions; d++) {
                    at = putShort(bytes, at, entropies[d]);
                }
            }
            out.position(out.position() + size);
        }

        /** Puts the low 16 bits of {@code value} at {@code at}, big-endian; returns the index after them. */
        private static int putShort(byte[] bytes, int at, int value) {
            bytes[at] = (byte) (value >>> 8);
            bytes[at + 1] = (byte) value;
            return at + 2;
        }

        /** Checks the decision read last against the first one's top-k: one k per row. */
        private void endDecision() {
            if (decisions == 1) {
                topK = decisionExperts;
            }
            if (decisionExperts != topK || topK > MAX_VALUE) {
                refuseTopK();
            }
        }

        // The messages are built apart from the methods called per value, which stay small enough to inline.
        private void refuseDecision(int layer) {
            if (decisions == MAX_VALUE) {
                refuse("more than " + MAX_VALUE + " decisions: the packed routing counts them in 16 bits");
            } else {
                refuse("layer " + layer + " is outside the packed routing's 0.." + MAX_VALUE);
            }
        }

        private void refuseTopK() {
            if (topK > MAX_VALUE) {
                refuse("layer " + layers[0] + " has top-" + topK + ": the packed routing holds at most top-"
                        + MAX_VALUE);
            } else {
                refuse("layer " + layers[decisions - 1] + " has top-" + decisionExperts + " but layer " + layers[0]
                        + " has top-" + topK + ": the packed routing holds one top-k per token");
            }
        }

        private void refuseExpert(int id) {
            refuse("layer " + layers[decisions - 1] + ": expert id " + id + " is outside the packed routing's 0.."
                    + MAX_VALUE);
        }

        private void refuse(String why) {
            if (problem == null) {
                problem = why;
            }
        }

        private void requirePackable() {
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }
}
