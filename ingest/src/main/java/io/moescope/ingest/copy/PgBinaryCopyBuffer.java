package io.moescope.ingest.copy;

import io.moescope.events.PackedRouting;
import java.nio.ByteBuffer;
import java.sql.SQLException;

/**
 * Builds a PostgreSQL binary COPY stream ("PGCOPY") in a reusable buffer and hands full chunks to a sink.
 * Format: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4 (file header, tuples of
 * length-prefixed big-endian fields, trailer {@code -1}); a token's decisions are one {@code bytea} field packed by
 * {@link PackedRouting}.
 *
 * <p>Writes go straight into a {@link ByteBuffer} rather than through a {@code DataOutputStream}, whose
 * byte-at-a-time {@code writeInt} was the bottleneck of a COPY that PostgreSQL otherwise ingests at millions of
 * decisions per second. Not thread-safe; one instance per COPY.
 */
final class PgBinaryCopyBuffer {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int CHUNK_BYTES = 256 * 1024;

    /** Receives complete chunks of the stream, e.g. pgjdbc's {@code CopyIn.writeToCopy}. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    private final Sink sink;
    private ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES); // big-endian, as PGCOPY wants

    PgBinaryCopyBuffer(Sink sink) {
        this.sink = sink;
    }

    void header() {
        buffer.put(SIGNATURE).putInt(0).putInt(0); // flags (no OIDs), header extension length
    }

    /** Starts a tuple of {@code tupleBytes} bytes in all (as counted by the caller, field count included). */
    void beginTuple(int fieldCount, int tupleBytes) throws SQLException {
        if (buffer.remaining() < tupleBytes) {
            flush();
            if (buffer.capacity() < tupleBytes) {
                buffer = ByteBuffer.allocate(tupleBytes);
            }
        }
        buffer.putShort((short) fieldCount);
    }

    void int2Field(int value) {
        buffer.putInt(2).putShort((short) value);
    }

    void int4Field(int value) {
        buffer.putInt(4).putInt(value);
    }

    void int8Field(long value) {
        buffer.putInt(8).putLong(value);
    }

    /** Writes the packed decisions of the batch's token {@code token} as one {@code bytea} field of {@code bytes}. */
    void routingField(TokenBatch batch, int token, int bytes) {
        buffer.putInt(bytes);
        batch.putRouting(token, buffer);
    }

    /** Writes the trailer and hands the rest of the stream to the sink. */
    void finish() throws SQLException {
        if (buffer.remaining() < 2) {
            flush();
        }
        buffer.putShort((short) -1);
        flush();
    }

    private void flush() throws SQLException {
        if (buffer.position() > 0) {
            sink.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
