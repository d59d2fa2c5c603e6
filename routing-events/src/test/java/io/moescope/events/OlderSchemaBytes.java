package io.moescope.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;

/** Re-encodes a record as an older writer wrote it: with an older schema, so with that schema's fingerprint. */
final class OlderSchemaBytes {

    /** Single-object encoding: 2 marker bytes and the 8-byte schema fingerprint. */
    private static final int HEADER = 10;

    private OlderSchemaBytes() {
    }

    static byte[] reencode(byte[] current, Schema currentSchema, String olderResource) throws IOException {
        Schema older = OlderSchemas.load(olderResource);
        GenericRecord record = new GenericDatumReader<GenericRecord>(currentSchema, older)
                .read(null, DecoderFactory.get().binaryDecoder(current, HEADER, current.length - HEADER, null));
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
