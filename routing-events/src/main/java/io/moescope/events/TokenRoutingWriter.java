package io.moescope.events;

import io.moescope.events.avro.AvroPhase;
import io.moescope.events.avro.AvroTokenRouting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes a {@link TokenRouting} as an Avro single-object message of {@link AvroTokenRouting}'s schema straight from
 * the record's arrays. The probe encodes one per token on the generation thread; going through the generated Avro
 * classes first boxes every expert id and weight into lists (k x layers objects a token), which cost more than the
 * encoding itself. The bytes are exactly those Avro's own writer produces for the same token (tested), so readers
 * decode them with the generated classes as before. Field order follows {@code TokenRouting.avsc}: a change there
 * must be made here too, and the byte-equality test fails until it is.
 */
final class TokenRoutingWriter {

    /** Single-object marker (C3 01) and the writer schema's CRC-64-AVRO fingerprint, little-endian. */
    private static final byte[] HEADER = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
            .put((byte) 0xC3).put((byte) 0x01)
            .putLong(SchemaNormalization.parsingFingerprint64(AvroTokenRouting.getClassSchema())).array();
    /** Union branch of {@code routerEntropy}: ["null", "float"]. */
    private static final int NULL_BRANCH = 0;
    private static final int FLOAT_BRANCH = 1;

    private final EncoderFactory encoders = EncoderFactory.get();

    byte[] write(TokenRouting token, int schemaVersion) throws IOException {
        var out = new ByteArrayOutputStream(64 + 16 * token.decisions().size());
        out.write(HEADER);
        BinaryEncoder e = encoders.directBinaryEncoder(out, null);
        e.writeInt(schemaVersion);
        e.writeString(token.runId());
        e.writeString(token.requestId());
        e.writeInt(token.tokenIndex());
        e.writeInt(token.tokenId());
        e.writeEnum(AvroPhase.valueOf(token.phase().name()).ordinal());
        e.writeLong(token.timestampMicros());
        List<RouterDecision> decisions = token.decisions();
        e.writeArrayStart();
        e.setItemCount(decisions.size());
        for (RouterDecision d : decisions) {
            e.startItem();
            writeDecision(e, d);
        }
        e.writeArrayEnd();
        e.flush();
        return out.toByteArray();
    }

    private static void writeDecision(BinaryEncoder e, RouterDecision d) throws IOException {
        e.writeInt(d.layer());
        e.writeArrayStart();
        e.setItemCount(d.expertIds().length);
        for (int id : d.expertIds()) {
            e.startItem();
            e.writeInt(id);
        }
        e.writeArrayEnd();
        e.writeArrayStart();
        e.setItemCount(d.weights().length);
        for (float w : d.weights()) {
            e.startItem();
            e.writeFloat(w);
        }
        e.writeArrayEnd();
        if (d.hasRouterEntropy()) {
            e.writeIndex(FLOAT_BRANCH);
            e.writeFloat(d.routerEntropy());
        } else {
            e.writeIndex(NULL_BRANCH);
        }
    }
}
