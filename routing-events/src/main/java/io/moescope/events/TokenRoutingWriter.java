package io.moescope.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The writing half of the {@link Topics#ROUTING} codec: writes a {@link TokenRouting} in the layout of
 * {@link TokenRoutingLayout} straight from the record's arrays. The probe encodes one per token on the generation
 * thread; going through the generated Avro classes first boxes every expert id and weight into lists (k x layers
 * objects a token), which cost more than the encoding itself. The bytes are exactly those Avro's own writer produces
 * for the same token (tested), so any Avro reader of the schema decodes them.
 *
 * <p>A separate class from {@link TokenRoutingReader} rather than one codec class: the two share nothing but the
 * layout (which {@link TokenRoutingLayout} holds), run in different processes, and each is a hot loop best read on
 * its own.
 */
final class TokenRoutingWriter {

    private final EncoderFactory encoders = EncoderFactory.get();

    byte[] write(TokenRouting token, int schemaVersion) throws IOException {
        var out = new ByteArrayOutputStream(64 + 16 * token.decisions().size());
        TokenRoutingLayout.writeHeader(out);
        BinaryEncoder e = encoders.directBinaryEncoder(out, null);
        e.writeInt(schemaVersion);
        e.writeString(token.runId());
        e.writeString(token.requestId());
        e.writeInt(token.tokenIndex());
        e.writeInt(token.tokenId());
        e.writeEnum(TokenRoutingLayout.phaseIndex(token.phase()));
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
            e.writeIndex(TokenRoutingLayout.FLOAT_BRANCH);
            e.writeFloat(d.routerEntropy());
        } else {
            e.writeIndex(TokenRoutingLayout.NULL_BRANCH);
        }
    }
}
