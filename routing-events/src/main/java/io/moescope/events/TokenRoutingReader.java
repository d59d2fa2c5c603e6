package io.moescope.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reading half of the {@link Topics#ROUTING} codec: decodes records in the layout of {@link TokenRoutingLayout}
 * straight from the Avro binary into a {@link TokenRoutingSink}: ingest's hottest loop, where Avro's generic reader
 * spends most of its time boxing ints and floats into lists that are unboxed again a moment later. Records it does
 * not recognise (empty, no single-object marker, another schema fingerprint) go to
 * {@link EventCodec#decodeTokenRouting}, which refuses them from the header alone. For the rest it yields the value
 * the codec would, or refuses like the codec ("truncated or corrupt record: ...", "invalid token routing: ..."), but
 * without ever allocating more than the record's own size: Avro's reader trusts a corrupt array count and may try to
 * allocate gigabytes. It is stricter in one respect: bytes after the record are corruption, not ignored. A packed
 * record (schema version 2) is not decoded value by value: its decisions go to the sink as they lie in the record,
 * once checked to be a packed value. Thread-safe.
 */
public final class TokenRoutingReader {

    private final EventCodec codec;

    public TokenRoutingReader(EventCodec codec) {
        this.codec = codec;
    }

    /** @throws EventDecodingException like {@link EventCodec#decodeTokenRouting} */
    public TokenRouting read(byte[] bytes) {
        var token = new SingleTokenSink();
        readInto(bytes, token);
        return token.token();
    }

    /**
     * Appends the record's token to {@code sink}; leaves the sink as it was when the record is refused.
     *
     * @throws EventDecodingException like {@link EventCodec#decodeTokenRouting}
     */
    public void readInto(byte[] bytes, TokenRoutingSink sink) {
        readInto(bytes, 0, bytes == null ? 0 : bytes.length, sink);
    }

    /**
     * Appends the token of the record {@code bytes[offset, offset + length)} to {@code sink}, as
     * {@link #readInto(byte[], TokenRoutingSink)} does that of a record on its own: for a record that lies in a larger
     * buffer, such as the fetched bytes Kafka's {@code ByteBufferDeserializer} hands out without copying them.
     *
     * @throws EventDecodingException like {@link EventCodec#decodeTokenRouting}
     */
    public void readInto(byte[] bytes, int offset, int length, TokenRoutingSink sink) {
        boolean packed = TokenRoutingLayout.isPacked(bytes, offset, length);
        if (!packed && !TokenRoutingLayout.hasHeader(bytes, offset, length)) {
            // not this schema's: the codec refuses it, or decodes a record of an older schema (rare, so a copy is fine)
            byte[] record = bytes == null || offset == 0 && length == bytes.length ? bytes
                    : Arrays.copyOfRange(bytes, offset, offset + length);
            sink.add(codec.decodeTokenRouting(record));
            return;
        }
        int before = sink.size();
        try {
            var in = new BinaryInput(bytes, offset, length);
            if (packed) {
                readPacked(in, sink);
            } else {
                read(in, sink);
            }
        } catch (CorruptRecord | ArrayIndexOutOfBoundsException e) {
            sink.truncate(before);
            throw new EventDecodingException("truncated or corrupt record: " + e.getMessage(), e);
        } catch (InvalidValue e) {
            sink.truncate(before);
            throw new EventDecodingException("invalid token routing: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            sink.truncate(before);
            throw e;
        }
    }

    /**
     * Parses a packed record: its token's fields, and its decisions checked to be a packed value, then handed to the
     * sink as they lie in the record ({@link TokenRoutingSink#addPacked}), with what {@link TokenRouting} and
     * {@link RouterDecision} check of them.
     */
    private static void readPacked(BinaryInput in, TokenRoutingSink sink) {
        TokenRoutingLayout.checkPackedVersion(in.readInt());
        String runId = in.readString();
        String requestId = in.readString();
        int tokenIndex = in.readInt();
        int tokenId = in.readInt();
        Phase phase = readPhase(in);
        long timestamp = in.readLong();
        int length = in.length(in.readLong());
        int offset = in.skip(length);
        in.expectEnd();
        TokenRoutingLayout.checkPackedRouting(in.bytes, offset, length);
        PackedRouting.View routing = new PackedRouting.View().at(in.bytes, offset);
        if (routing.layerCount() > 0 && routing.topK() == 0) {
            throw new InvalidValue("layer " + routing.layer(0) + ": no expert ids");
        }
        if (tokenIndex < 0) {
            throw new InvalidValue("tokenIndex must be >= 0 but was " + tokenIndex);
        }
        sink.addPacked(runId, requestId, tokenIndex, tokenId, phase, timestamp, in.bytes, offset, length);
    }

    private static Phase readPhase(BinaryInput in) {
        int phaseIndex = in.readInt();
        Phase phase = TokenRoutingLayout.phase(phaseIndex);
        if (phase == null) {
            throw new CorruptRecord("phase index " + phaseIndex);
        }
        return phase;
    }

    /**
     * Parses the record into the sink, checking what {@link TokenRouting} and {@link RouterDecision} check, in the
     * same order, with the same messages, once the whole record is read (so corruption is reported as such).
     */
    private static void read(BinaryInput in, TokenRoutingSink sink) {
        int version = in.readInt();
        if (version != EventCodec.SCHEMA_VERSION) {
            throw new EventDecodingException("unknown schemaVersion " + version + " (this build reads "
                    + EventCodec.SCHEMA_VERSION + ")");
        }
        String runId = in.readString();
        String requestId = in.readString();
        int tokenIndex = in.readInt();
        int tokenId = in.readInt();
        Phase phase = readPhase(in);
        long timestamp = in.readLong();
        sink.beginToken(runId, requestId, tokenIndex, tokenId, phase, timestamp);
        var decisions = new Decisions();
        for (long count = in.readBlockCount(); count != 0; count = in.readBlockCount()) {
            for (long i = 0; i < count; i++) {
                decisions.read(in, sink);
            }
        }
        in.expectEnd();
        decisions.check();
        if (tokenIndex < 0) {
            throw new InvalidValue("tokenIndex must be >= 0 but was " + tokenIndex);
        }
        sink.endToken();
    }

    /**
     * The decisions of one record as they are read: passed on to the sink at once, and what
     * {@link RouterDecision}'s constructor checks kept aside to be checked when the record is complete. Only the
     * first decision that breaks a rule is kept: the checks go decision by decision and stop at the first failure,
     * so no later decision can change the outcome, and a record needs no array of its decisions (one per record was
     * most of what a consumer thread allocated).
     */
    private static final class Decisions {
        private boolean broken;
        private int layer;
        private int experts;
        private int weights;
        /** The decision's first negative expert id, 0 when none. */
        private int negative;

        void read(BinaryInput in, TokenRoutingSink sink) {
            int layer = in.readInt();
            sink.addDecision(layer, Float.NaN);
            int experts = 0;
            int negative = 0;
            for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
                for (long j = 0; j < n; j++) {
                    int id = in.readInt();
                    if (id < 0 && negative == 0) {
                        negative = id;
                    }
                    sink.addExpert(id, 0f);
                    experts++;
                }
            }
            int weights = 0;
            for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
                for (long j = 0; j < n; j++) {
                    float weight = in.readFloat();
                    if (weights < experts) {
                        sink.setWeight(weights, weight);
                    }
                    weights++;
                }
            }
            if (weights == 0) {
                // ids only: every weight unknown (TokenRoutingLayout)
                for (int j = 0; j < experts; j++) {
                    sink.setWeight(j, Float.NaN);
                }
                weights = experts;
            }
            long branch = in.readLong();
            if (branch == TokenRoutingLayout.FLOAT_BRANCH) {
                sink.setLastEntropy(in.readFloat());
            } else if (branch != TokenRoutingLayout.NULL_BRANCH) {
                throw new CorruptRecord("union branch " + branch);
            }
            remember(layer, experts, weights, negative);
        }

        /** Keeps the decision's facts if it is the first to break one of {@link #check}'s rules. */
        private void remember(int layer, int experts, int weights, int negative) {
            if (!broken && (layer < 0 || experts == 0 || experts != weights || negative < 0)) {
                broken = true;
                this.layer = layer;
                this.experts = experts;
                this.weights = weights;
                this.negative = negative;
            }
        }

        /** What {@link RouterDecision}'s constructor checks, for the first decision that breaks a rule. */
        void check() {
            if (!broken) {
                return;
            }
            if (layer < 0) {
                throw new InvalidValue("layer must be >= 0 but was " + layer);
            }
            if (experts == 0) {
                throw new InvalidValue("layer " + layer + ": no expert ids");
            }
            if (experts != weights) {
                throw new InvalidValue("layer " + layer + ": " + experts + " expert ids but " + weights
                        + " weights");
            }
            throw new InvalidValue("layer " + layer + ": negative expert id " + negative);
        }
    }

    /** A value the event records refuse. */
    private static final class InvalidValue extends RuntimeException {
        InvalidValue(String message) {
            super(message, null, false, false);
        }
    }

    /** The bytes do not form a record of the schema. */
    private static final class CorruptRecord extends RuntimeException {
        CorruptRecord(String message) {
            super(message, null, false, false);
        }
    }

    /** Avro's binary encoding of the primitive types, over one record's bytes after the header. */
    private static final class BinaryInput {
        private final byte[] bytes;
        private int position;
        /** Where the record ends in {@link #bytes}. */
        private final int end;

        BinaryInput(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.position = offset + TokenRoutingLayout.HEADER_LENGTH;
            this.end = offset + length;
        }

        int readInt() {
            long value = readLong();
            if (value != (int) value) {
                throw new CorruptRecord("int out of range");
            }
            return (int) value;
        }

        long readLong() {
            long raw = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 63) {
                    throw new CorruptRecord("varint too long");
                }
                if (position >= end) {
                    throw new CorruptRecord("record ends inside a number");
                }
                byte b = bytes[position++];
                raw |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
            }
            return (raw >>> 1) ^ -(raw & 1);
        }

        float readFloat() {
            if (position + 4 > end) {
                throw new CorruptRecord("float beyond the record");
            }
            int bits = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8
                    | (bytes[position + 2] & 0xFF) << 16 | (bytes[position + 3] & 0xFF) << 24;
            position += 4;
            return Float.intBitsToFloat(bits);
        }

        String readString() {
            int length = length(readLong());
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        /** The next block's item count; skips the byte size that follows a negative count. */
        long readBlockCount() {
            long count = readLong();
            if (count < 0) {
                readLong();
                count = -count;
            }
            if (count > end - position) {
                throw new CorruptRecord("array count " + count + " beyond the record");
            }
            return count;
        }

        /** Skips {@code length} bytes (within the record); returns where they start. */
        int skip(int length) {
            int start = position;
            position += length;
            return start;
        }

        void expectEnd() {
            if (position != end) {
                throw new CorruptRecord((end - position) + " bytes after the record");
            }
        }

        int length(long length) {
            if (length < 0 || length > end - position) {
                throw new CorruptRecord("length " + length + " beyond the record");
            }
            return (int) length;
        }
    }
}
