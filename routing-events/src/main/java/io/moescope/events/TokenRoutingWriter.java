package io.moescope.events;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The writing half of the {@link Topics#ROUTING} codec: writes a {@link TokenRouting} in the layout of
 * {@link TokenRoutingLayout} straight from the record's arrays. The probe encodes one per token on the generation
 * thread, the tap one per position of every response; going through the generated Avro classes first boxes every
 * expert id and weight into lists (k x layers objects a token), and even Avro's encoder alone spent about 30 ns a
 * value in stream writes, so the values go straight into one array ({@link BinaryOutput}). The bytes are exactly those
 * Avro's own writer produces for the same token (tested), so any Avro reader of the schema decodes them, with one
 * rule of the layout: a decision whose weights are all unknown (NaN: the engines the tap reads and most imported
 * traces return expert ids only) is written with no weights (see {@link TokenRoutingLayout}), which makes
 * such a token about a third as long.
 *
 * <p>Since schema version 2 nearly every token is written in the packed form instead ({@link #write}): its decisions
 * as the one {@code bytes} value that {@code token_routing.routing} stores ({@link PackedRouting}), which ingest
 * validates on those bytes and copies into its COPY without decoding them value by value. A token of ids only goes
 * there without its NaNs too: the packed value leaves out weights (entropies) that are all unknown, and says so.
 *
 * <p>A separate class from {@link TokenRoutingReader} rather than one codec class: the two share nothing but the
 * layout (which {@link TokenRoutingLayout} holds), run in different processes, and each is a hot loop best read on
 * its own.
 */
final class TokenRoutingWriter {

    /**
     * A record's bytes outside its decisions and strings: header, version, string lengths, token index and id,
     * phase, time, the array's end or the packed bytes' length.
     */
    private static final int FIXED_BYTES = TokenRoutingLayout.HEADER_LENGTH + 7 * BinaryOutput.MAX_INT_BYTES
            + BinaryOutput.MAX_LONG_BYTES + 1;
    /** A decision's bytes besides its ids and weights: layer, two array counts and ends, the entropy's union. */
    private static final int DECISION_BYTES = 3 * BinaryOutput.MAX_INT_BYTES + 3 + BinaryOutput.FLOAT_BYTES;

    /**
     * The array each thread writes into, grown to the longest record it wrote: a record is then copied out at its
     * length, one allocation instead of one at the longest possible length and a copy.
     */
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[0]);

    /** Packs each token's decisions on the thread that writes it. */
    private final ThreadLocal<PackedRouting.Encoder> encoders = ThreadLocal.withInitial(PackedRouting.Encoder::new);

    /**
     * The token's record: in the packed form (schema version 2) when packing its decisions keeps everything
     * validation looks at, else in the form with an array of decisions (version 1). Packing loses it for a token the
     * packed layout cannot hold (layers of different top-k, ids or layers above 65535), for a negative weight or
     * entropy (binary16 may round one to another side of a bound: -0.001 becomes -0.0010004, beyond the entropy's
     * tolerance) and for a finite value from 65520 up (binary16's infinity): such a token is sent as it is, so that
     * ingest refuses or accepts it for the same reason, with the same message, as before the packed form.
     */
    byte[] write(TokenRouting token) {
        PackedRouting.Encoder routing = encoders.get();
        return pack(token, routing) ? writePacked(token, routing)
                : writeLayers(token, TokenRoutingLayout.LAYERS_VERSION);
    }

    /** Feeds the token's decisions to {@code routing}; whether the packed form holds them alike for validation. */
    private static boolean pack(TokenRouting token, PackedRouting.Encoder routing) {
        boolean alike = true;
        routing.begin();
        for (RouterDecision d : token.decisions()) {
            float entropy = d.routerEntropy();
            alike &= HalfFloat.classifiesAlike(entropy);
            routing.decision(d.layer(), entropy);
            int[] ids = d.expertIds();
            float[] weights = d.weights();
            for (int j = 0; j < ids.length; j++) {
                alike &= HalfFloat.classifiesAlike(weights[j]);
                routing.expert(ids[j], weights[j]);
            }
        }
        routing.end();
        return alike && routing.problem() == null;
    }

    private byte[] writePacked(TokenRouting token, PackedRouting.Encoder routing) {
        byte[] runId = token.runId().getBytes(StandardCharsets.UTF_8);
        byte[] requestId = token.requestId().getBytes(StandardCharsets.UTF_8);
        int packed = routing.size();
        var out = output(FIXED_BYTES + runId.length + requestId.length + packed);
        TokenRoutingLayout.writePackedHeader(out);
        writeToken(out, TokenRoutingLayout.PACKED_VERSION, token, runId, requestId);
        out.writePacked(routing, packed);
        return out.toByteArray();
    }

    /** The token in the form with an array of decisions (version 1), {@code schemaVersion} as given. */
    byte[] writeLayers(TokenRouting token, int schemaVersion) {
        byte[] runId = token.runId().getBytes(StandardCharsets.UTF_8);
        byte[] requestId = token.requestId().getBytes(StandardCharsets.UTF_8);
        List<RouterDecision> decisions = token.decisions();
        var out = output(capacity(runId, requestId, decisions));
        TokenRoutingLayout.writeHeader(out);
        writeToken(out, schemaVersion, token, runId, requestId);
        out.startArray(decisions.size());
        for (RouterDecision d : decisions) {
            writeDecision(out, d);
        }
        out.endArray();
        return out.toByteArray();
    }

    /** The fields both forms share, in their order, after the header. */
    private static void writeToken(BinaryOutput out, int version, TokenRouting token, byte[] runId,
                                   byte[] requestId) {
        out.writeInt(version);
        out.writeString(runId);
        out.writeString(requestId);
        out.writeInt(token.tokenIndex());
        out.writeInt(token.tokenId());
        out.writeInt(TokenRoutingLayout.phaseIndex(token.phase()));
        out.writeLong(token.timestampMicros());
    }

    private BinaryOutput output(int capacity) {
        byte[] buffer = scratch.get();
        if (buffer.length < capacity) {
            buffer = new byte[capacity];
            scratch.set(buffer);
        }
        return new BinaryOutput(buffer);
    }

    private static void writeDecision(BinaryOutput out, RouterDecision d) {
        out.writeInt(d.layer());
        int[] ids = d.expertIds();
        out.startArray(ids.length);
        for (int id : ids) {
            out.writeInt(id);
        }
        out.endArray();
        float[] weights = d.weights();
        boolean unknown = allNaN(weights);
        out.startArray(unknown ? 0 : weights.length);
        for (int i = 0; !unknown && i < weights.length; i++) {
            out.writeFloat(weights[i]);
        }
        out.endArray();
        if (d.hasRouterEntropy()) {
            out.writeInt(TokenRoutingLayout.FLOAT_BRANCH);
            out.writeFloat(d.routerEntropy());
        } else {
            out.writeInt(TokenRoutingLayout.NULL_BRANCH);
        }
    }

    private static boolean allNaN(float[] weights) {
        for (float w : weights) {
            if (!Float.isNaN(w)) {
                return false;
            }
        }
        return true;
    }

    /** At least the record's length: every varint counted at its longest. */
    private static int capacity(byte[] runId, byte[] requestId, List<RouterDecision> decisions) {
        int capacity = FIXED_BYTES + runId.length + requestId.length;
        for (RouterDecision d : decisions) {
            capacity += DECISION_BYTES + d.expertIds().length * BinaryOutput.MAX_INT_BYTES
                    + d.weights().length * BinaryOutput.FLOAT_BYTES;
        }
        return capacity;
    }
}
