package io.moescope.storage.routing;

import io.moescope.events.RouterDecision;
import io.moescope.events.validation.TokenView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec of {@code token_routing.routing} (since V51): one token's decisions (layers, expert ids, gate weights,
 * router entropies) packed into one {@code bytea}, instead of four arrays whose headers alone took 96 B a row. Every
 * writer and reader of the column uses it; {@code R__routing_codec.sql} is its SQL twin (V51's conversion of older
 * rows and ad-hoc queries; a test holds both to the same bytes). Layout (docs/operations.md, "Storage"), big-endian:
 *
 * <pre>
 *   flags      1 byte    bit 0: expert ids take 2 bytes (else 1: every id of the row is below 256)
 *                        bit 1: layers listed (else consecutive: layer i is first + i)
 *   layers     2 bytes   L, the number of decisions
 *   top-k      2 bytes   k, experts per decision (the same at every layer)
 *   layer(s)   2 bytes   the first layer when consecutive; else 2 bytes for each of the L layers
 *   expert ids L*k ids of 1 or 2 bytes, layer-major, in the order captured
 *   weights    L*k binary16 bits ({@link HalfFloat}), in the ids' order; NaN (0x7E00) when unknown
 *   entropies  L   binary16 bits; NaN (0x7E00) when unknown
 * </pre>
 *
 * Layers, ids and k are unsigned 16-bit: {@code StorableTokens}' bounds (32767) keep every stored value inside.
 */
public final class PackedRouting {

    private static final int WIDE_IDS = 1;
    private static final int LISTED_LAYERS = 2;
    private static final int HEADER_BYTES = 5;

    private PackedRouting() {
    }

    /** Bytes of {@code token}'s decisions packed. */
    public static int size(TokenView token) {
        int layers = token.decisionCount();
        int topK = layers == 0 ? 0 : token.topK(0);
        int idBytes = wideIds(token) ? 2 : 1;
        int layerBytes = consecutiveLayers(token) ? 2 : 2 * layers;
        return HEADER_BYTES + layerBytes + layers * topK * (idBytes + 2) + layers * 2;
    }

    /** Writes {@code token}'s decisions packed ({@link #size} bytes) at {@code out}'s position. */
    public static void encode(TokenView token, ByteBuffer out) {
        int layers = token.decisionCount();
        int topK = layers == 0 ? 0 : token.topK(0);
        boolean wide = wideIds(token);
        boolean consecutive = consecutiveLayers(token);
        out.put((byte) ((wide ? WIDE_IDS : 0) | (consecutive ? 0 : LISTED_LAYERS)));
        out.putShort((short) layers).putShort((short) topK);
        if (consecutive) {
            out.putShort((short) (layers == 0 ? 0 : token.layer(0)));
        } else {
            for (int d = 0; d < layers; d++) {
                out.putShort((short) token.layer(d));
            }
        }
        for (int d = 0; d < layers; d++) {
            for (int j = 0; j < topK; j++) {
                if (wide) {
                    out.putShort((short) token.expert(d, j));
                } else {
                    out.put((byte) token.expert(d, j));
                }
            }
        }
        for (int d = 0; d < layers; d++) {
            for (int j = 0; j < topK; j++) {
                out.putShort(HalfFloat.fromFloat(token.weight(d, j)));
            }
        }
        for (int d = 0; d < layers; d++) {
            out.putShort(HalfFloat.fromFloat(token.routerEntropy(d)));
        }
    }

    /** {@code token}'s decisions packed. */
    public static byte[] encode(TokenView token) {
        ByteBuffer out = ByteBuffer.allocate(size(token));
        encode(token, out);
        return out.array();
    }

    /**
     * The decisions of a packed value, weights and entropies as stored (rounded to binary16).
     *
     * @throws IllegalArgumentException when the bytes are not a packed value (too short, too long)
     */
    public static List<RouterDecision> decode(byte[] packed) {
        if (packed.length < HEADER_BYTES + 2) {
            throw new IllegalArgumentException("packed routing of " + packed.length + " bytes: shorter than its "
                    + (HEADER_BYTES + 2) + "-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(packed);
        int flags = in.get();
        int layers = Short.toUnsignedInt(in.getShort());
        int topK = Short.toUnsignedInt(in.getShort());
        if ((flags & ~(WIDE_IDS | LISTED_LAYERS)) != 0) {
            throw new IllegalArgumentException("packed routing with unknown flags " + flags + ": only bits 0 and 1"
                    + " are defined");
        }
        boolean wide = (flags & WIDE_IDS) != 0;
        boolean consecutive = (flags & LISTED_LAYERS) == 0;
        int expected = HEADER_BYTES + (consecutive ? 2 : 2 * layers) + layers * topK * ((wide ? 2 : 1) + 2)
                + layers * 2;
        if (packed.length != expected) {
            throw new IllegalArgumentException("packed routing of " + packed.length + " bytes, but its header (flags "
                    + flags + ", " + layers + " layers, top-" + topK + ") makes " + expected);
        }
        int[] layerIds = new int[layers];
        int first = consecutive ? Short.toUnsignedInt(in.getShort()) : 0;
        for (int d = 0; d < layers; d++) {
            layerIds[d] = consecutive ? first + d : Short.toUnsignedInt(in.getShort());
        }
        int[][] ids = new int[layers][topK];
        for (int[] row : ids) {
            for (int j = 0; j < topK; j++) {
                row[j] = wide ? Short.toUnsignedInt(in.getShort()) : Byte.toUnsignedInt(in.get());
            }
        }
        float[][] weights = new float[layers][topK];
        for (float[] row : weights) {
            for (int j = 0; j < topK; j++) {
                row[j] = HalfFloat.toFloat(in.getShort());
            }
        }
        var decisions = new ArrayList<RouterDecision>(layers);
        for (int d = 0; d < layers; d++) {
            decisions.add(new RouterDecision(layerIds[d], ids[d], weights[d], HalfFloat.toFloat(in.getShort())));
        }
        return decisions;
    }

    private static boolean wideIds(TokenView token) {
        for (int d = 0; d < token.decisionCount(); d++) {
            for (int j = 0; j < token.topK(d); j++) {
                if (token.expert(d, j) > 0xFF) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean consecutiveLayers(TokenView token) {
        for (int d = 1; d < token.decisionCount(); d++) {
            if (token.layer(d) != token.layer(0) + d) {
                return false;
            }
        }
        return true;
    }
}
