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
 * <p>A separate class from {@link TokenRoutingReader} rather than one codec class: the two share nothing but the
 * layout (which {@link TokenRoutingLayout} holds), run in different processes, and each is a hot loop best read on
 * its own.
 */
final class TokenRoutingWriter {

    /** A record's bytes outside its decisions and strings: header, version, token index and id, phase, time, array. */
    private static final int FIXED_BYTES = TokenRoutingLayout.HEADER_LENGTH + 6 * BinaryOutput.MAX_INT_BYTES
            + BinaryOutput.MAX_LONG_BYTES + 1;
    /** A decision's bytes besides its ids and weights: layer, two array counts and ends, the entropy's union. */
    private static final int DECISION_BYTES = 3 * BinaryOutput.MAX_INT_BYTES + 3 + BinaryOutput.FLOAT_BYTES;

    /**
     * The array each thread writes into, grown to the longest record it wrote: a record is then copied out at its
     * length, one allocation instead of one at the longest possible length and a copy.
     */
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[0]);

    byte[] write(TokenRouting token, int schemaVersion) {
        byte[] runId = token.runId().getBytes(StandardCharsets.UTF_8);
        byte[] requestId = token.requestId().getBytes(StandardCharsets.UTF_8);
        List<RouterDecision> decisions = token.decisions();
        int capacity = capacity(runId, requestId, decisions);
        byte[] buffer = scratch.get();
        if (buffer.length < capacity) {
            buffer = new byte[capacity];
            scratch.set(buffer);
        }
        var out = new BinaryOutput(buffer);
        TokenRoutingLayout.writeHeader(out);
        out.writeInt(schemaVersion);
        out.writeString(runId);
        out.writeString(requestId);
        out.writeInt(token.tokenIndex());
        out.writeInt(token.tokenId());
        out.writeInt(TokenRoutingLayout.phaseIndex(token.phase()));
        out.writeLong(token.timestampMicros());
        out.startArray(decisions.size());
        for (RouterDecision d : decisions) {
            writeDecision(out, d);
        }
        out.endArray();
        return out.toByteArray();
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
