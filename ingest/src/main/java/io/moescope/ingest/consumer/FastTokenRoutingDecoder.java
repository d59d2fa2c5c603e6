package io.moescope.ingest.consumer;

import io.moescope.events.EventCodec;
import io.moescope.events.EventDecodingException;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.avro.AvroTokenRouting;
import io.moescope.ingest.copy.TokenBatch;
import java.nio.charset.StandardCharsets;
import org.apache.avro.SchemaNormalization;

/**
 * Decodes {@link TokenRouting} records written with the schema this build knows, straight from the Avro binary into
 * primitive arrays: ingest's hottest loop, where Avro's generic reader spends most of its time boxing ints and floats
 * into lists that are unboxed again a moment later. Records it does not recognise (empty, no single-object marker,
 * another schema fingerprint) go to {@link EventCodec#decodeTokenRouting}, which refuses them from the header alone. For the rest it yields the value the codec would, or refuses like the codec ("truncated or corrupt
 * record: ...", "invalid token routing: ..."), but without ever allocating more than the record's own size: Avro's
 * reader trusts a corrupt array count and may try to allocate gigabytes. It is stricter in one respect: bytes after
 * the record are corruption, not ignored. Thread-safe.
 *
 * <p>Layout (Avro single-object encoding, https://avro.apache.org/docs/1.12.0/specification/): marker C3 01, the
 * writer schema's CRC-64-AVRO fingerprint (8 bytes, little-endian), then the record: schemaVersion int, runId string,
 * requestId string, tokenIndex int, tokenId int, phase enum, timestampMicros long, layers array of (layer int,
 * expertIds array of int, weights array of float, routerEntropy union [null, float]); int and long are zig-zag
 * varints, float 4 bytes little-endian, string a long length then UTF-8, arrays blocks of (count, items) ending with
 * a 0 count (a negative count is followed by the block's size in bytes).
 */
final class FastTokenRoutingDecoder {

    private static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(AvroTokenRouting.getClassSchema());
    private static final Phase[] PHASES = {Phase.PREFILL, Phase.DECODE}; // AvroPhase symbol order

    private final EventCodec codec;

    FastTokenRoutingDecoder(EventCodec codec) {
        this.codec = codec;
    }

    /** @throws EventDecodingException like {@link EventCodec#decodeTokenRouting} */
    TokenRouting decode(byte[] bytes) {
        var batch = new TokenBatch(1);
        decodeInto(bytes, batch);
        return batch.token(0);
    }

    /**
     * Appends the record's token to {@code batch}; leaves the batch as it was when the record is refused.
     *
     * @throws EventDecodingException like {@link EventCodec#decodeTokenRouting}
     */
    void decodeInto(byte[] bytes, TokenBatch batch) {
        if (!recognised(bytes)) {
            batch.add(codec.decodeTokenRouting(bytes));
            return;
        }
        int before = batch.size();
        try {
            read(bytes, batch);
        } catch (CorruptRecord | ArrayIndexOutOfBoundsException e) {
            batch.truncate(before);
            throw new EventDecodingException("truncated or corrupt record: " + e.getMessage(), e);
        } catch (InvalidValue e) {
            batch.truncate(before);
            throw new EventDecodingException("invalid token routing: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            batch.truncate(before);
            throw e;
        }
    }

    /** Marker and fingerprint of this build's schema; otherwise the codec refuses the header, body unread. */
    private static boolean recognised(byte[] bytes) {
        if (bytes == null || bytes.length < 10 || (bytes[0] & 0xFF) != 0xC3 || bytes[1] != 0x01) {
            return false;
        }
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = fingerprint << 8 | (bytes[i] & 0xFF);
        }
        return fingerprint == FINGERPRINT;
    }

    /**
     * Parses the record into the batch, checking what {@link TokenRouting} and {@link RouterDecision} check, in
     * the same order, with the same messages.
     */
    private static void read(byte[] bytes, TokenBatch batch) {
        var in = new Reader(bytes);
        in.position = 10;
        int version = in.readInt();
        if (version != EventCodec.SCHEMA_VERSION) {
            throw new EventDecodingException("unknown schemaVersion " + version + " (this build reads "
                    + EventCodec.SCHEMA_VERSION + ")");
        }
        String runId = in.readString();
        String requestId = in.readString();
        int tokenIndex = in.readInt();
        int tokenId = in.readInt();
        int phase = in.readInt();
        if (phase < 0 || phase >= PHASES.length) {
            throw new CorruptRecord("phase index " + phase);
        }
        long timestamp = in.readLong();
        batch.beginToken(runId, requestId, tokenIndex, tokenId, PHASES[phase], timestamp);
        int firstDecision = batch.firstDecision(batch.size());
        int[] weightCounts = new int[32];
        int decisions = 0;
        for (long count = in.readBlockCount(); count != 0; count = in.readBlockCount()) {
            for (long i = 0; i < count; i++) {
                int layer = in.readInt();
                batch.addDecision(layer, Float.NaN);
                int firstExpert = batch.expertCount();
                for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
                    for (long j = 0; j < n; j++) {
                        batch.addExpert(in.readInt(), 0f);
                    }
                }
                int experts = batch.expertCount() - firstExpert;
                int weights = 0;
                for (long n = in.readBlockCount(); n != 0; n = in.readBlockCount()) {
                    for (long j = 0; j < n; j++) {
                        float weight = in.readFloat();
                        if (weights < experts) {
                            batch.setWeight(firstExpert + weights, weight);
                        }
                        weights++;
                    }
                }
                long branch = in.readLong();
                if (branch == 1) {
                    batch.setLastEntropy(in.readFloat());
                } else if (branch != 0) {
                    throw new CorruptRecord("union branch " + branch);
                }
                if (decisions == weightCounts.length) {
                    weightCounts = java.util.Arrays.copyOf(weightCounts, decisions * 2);
                }
                weightCounts[decisions++] = weights;
            }
        }
        if (in.position != bytes.length) {
            throw new CorruptRecord((bytes.length - in.position) + " bytes after the record");
        }
        // The whole record is read: now what the event records check, in their order (decisions, then the token).
        for (int d = 0; d < decisions; d++) {
            checkDecision(batch, firstDecision + d, weightCounts[d]);
        }
        if (tokenIndex < 0) {
            throw new InvalidValue("tokenIndex must be >= 0 but was " + tokenIndex);
        }
        batch.endToken();
    }

    /** What {@link RouterDecision}'s constructor checks. */
    private static void checkDecision(TokenBatch batch, int decision, int weights) {
        int layer = batch.layer(decision);
        int firstExpert = batch.firstExpert(decision);
        int experts = batch.endExpert(decision) - firstExpert;
        if (layer < 0) {
            throw new InvalidValue("layer must be >= 0 but was " + layer);
        }
        if (experts == 0) {
            throw new InvalidValue("layer " + layer + ": no expert ids");
        }
        if (experts != weights) {
            throw new InvalidValue("layer " + layer + ": " + experts + " expert ids but " + weights + " weights");
        }
        for (int e = firstExpert; e < firstExpert + experts; e++) {
            if (batch.expertId(e) < 0) {
                throw new InvalidValue("layer " + layer + ": negative expert id " + batch.expertId(e));
            }
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

    private static final class Reader {
        private final byte[] bytes;
        int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
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
                if (position >= bytes.length) {
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
            if (position + 4 > bytes.length) {
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
            if (count > bytes.length - position) {
                throw new CorruptRecord("array count " + count + " beyond the record");
            }
            return count;
        }

        private int length(long length) {
            if (length < 0 || length > bytes.length - position) {
                throw new CorruptRecord("length " + length + " beyond the record");
            }
            return (int) length;
        }
    }
}
