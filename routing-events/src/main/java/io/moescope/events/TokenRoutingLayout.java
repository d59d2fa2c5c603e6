package io.moescope.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The wire format of {@link Topics#ROUTING}, stated once for both halves of its codec: {@link TokenRoutingWriter}
 * (the probe's hot loop) and {@link TokenRoutingReader} (ingest's hot loop) encode and decode it by hand, without
 * Avro's generic machinery, because boxing every expert id and weight into lists cost more than the encoding itself.
 * What they implement is exactly the Avro schema in {@link #PARSING_FORM}, that is {@code src/main/avro/
 * TokenRouting.avsc} with its named types inlined; a test fails when the .avsc and this declaration part, so a change
 * of the schema is made here and in the two classes, and nowhere else.
 *
 * <p>A record is an Avro single-object message (https://avro.apache.org/docs/1.12.0/specification/): the marker
 * C3 01, the schema's CRC-64-AVRO fingerprint (8 bytes, little-endian), then the body in the schema's field order.
 * In the body, int and long are zig-zag varints, float is 4 bytes little-endian, a string is a long length then
 * UTF-8, an enum is the symbol's index as an int, a union is the branch index as an int then the value, and an array
 * is blocks of (count, items) ending with a 0 count (a negative count is followed by the block's size in bytes).
 *
 * <p>One rule on top of the schema: a decision with expert ids and no weights has its weights unknown, each NaN
 * (what a decision of ids only, e.g. from vLLM or SGLang, holds in memory). The writer writes every decision whose
 * weights are all NaN so, the readers read it back as such: 8 unknown weights a layer were 32 of a top-8 decision's
 * 50 bytes or so. Records written before the rule, with the NaNs spelled out, read the same.
 *
 * <p>Since schema version 2 there is a second form, {@link #PACKED_PARSING_FORM}: the same fields, then the decisions
 * as the bytes {@code token_routing.routing} stores ({@link PackedRouting}). The writer sends nearly every token so;
 * the form above stays for the tokens it does not, and for records written before. The fingerprint tells them apart.
 */
final class TokenRoutingLayout {

    /** Avro's Parsing Canonical Form of the schema both halves implement; the field order is the byte order. */
    static final String PARSING_FORM = """
            {"name":"io.moescope.events.avro.AvroTokenRouting","type":"record","fields":[\
            {"name":"schemaVersion","type":"int"},\
            {"name":"runId","type":"string"},\
            {"name":"requestId","type":"string"},\
            {"name":"tokenIndex","type":"int"},\
            {"name":"tokenId","type":"int"},\
            {"name":"phase","type":{"name":"io.moescope.events.avro.AvroPhase","type":"enum",\
            "symbols":["PREFILL","DECODE","UNKNOWN"]}},\
            {"name":"timestampMicros","type":"long"},\
            {"name":"layers","type":{"type":"array","items":\
            {"name":"io.moescope.events.avro.AvroLayerRouting","type":"record","fields":[\
            {"name":"layer","type":"int"},\
            {"name":"expertIds","type":{"type":"array","items":"int"}},\
            {"name":"weights","type":{"type":"array","items":"float"}},\
            {"name":"routerEntropy","type":["null","float"]}]}}}]}""";

    /**
     * The packed form (schema version 2, {@code src/main/avro/PackedTokenRouting.avsc}): the same fields before the
     * decisions, then the decisions as one {@code bytes} value in the layout of {@code token_routing.routing}
     * ({@link PackedRouting}), so that ingest validates and stores them without decoding them value by value. The
     * writer uses it for every token whose decisions it holds alike for validation (see {@link TokenRoutingWriter});
     * the form of {@link #PARSING_FORM} (version 1) stays for the others and for records written before.
     */
    static final String PACKED_PARSING_FORM = """
            {"name":"io.moescope.events.avro.AvroPackedTokenRouting","type":"record","fields":[\
            {"name":"schemaVersion","type":"int"},\
            {"name":"runId","type":"string"},\
            {"name":"requestId","type":"string"},\
            {"name":"tokenIndex","type":"int"},\
            {"name":"tokenId","type":"int"},\
            {"name":"phase","type":{"name":"io.moescope.events.avro.AvroPhase","type":"enum",\
            "symbols":["PREFILL","DECODE","UNKNOWN"]}},\
            {"name":"timestampMicros","type":"long"},\
            {"name":"routing","type":"bytes"}]}""";

    /** The {@code schemaVersion} of the form of {@link #PARSING_FORM}. */
    static final int LAYERS_VERSION = 1;

    /** The {@code schemaVersion} of the packed form ({@link #PACKED_PARSING_FORM}). */
    static final int PACKED_VERSION = 2;

    /** CRC-64-AVRO of {@link #PARSING_FORM}: what the header carries and the reader recognises. */
    static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(new Schema.Parser().parse(PARSING_FORM));

    /** Marker and fingerprint. */
    static final int HEADER_LENGTH = 10;

    /** {@code routerEntropy}'s union ["null", "float"]: the index of each branch. */
    static final int NULL_BRANCH = 0;
    static final int FLOAT_BRANCH = 1;

    /** {@code AvroPhase}'s symbols, in their order: the enum's index on the wire. */
    private static final Phase[] PHASES = {Phase.PREFILL, Phase.DECODE, Phase.UNKNOWN};

    /**
     * The schema before {@code UNKNOWN} was added to {@code AvroPhase}: records of it (a probe's spool, a topic
     * written by the previous release) have the same body, with phase index 0 or 1, so they are read as they are.
     */
    static final String SCHEMA_WITHOUT_UNKNOWN_PHASE = "TokenRouting-v1.avsc";

    /** CRC-64-AVRO of {@link #PACKED_PARSING_FORM}. */
    static final long PACKED_FINGERPRINT = SchemaNormalization.parsingFingerprint64(
            new Schema.Parser().parse(PACKED_PARSING_FORM));

    private static final byte[] HEADER = header(FINGERPRINT);
    private static final byte[] PACKED_HEADER = header(PACKED_FINGERPRINT);
    private static final byte[] PREVIOUS_HEADER = header(SchemaNormalization.parsingFingerprint64(
            OlderSchemas.load(SCHEMA_WITHOUT_UNKNOWN_PHASE)));

    private TokenRoutingLayout() {
    }

    static void writeHeader(BinaryOutput out) {
        out.writeRaw(HEADER);
    }

    static void writePackedHeader(BinaryOutput out) {
        out.writeRaw(PACKED_HEADER);
    }

    /** The packed form's version check, made by both its readers ({@link EventCodec}, {@link TokenRoutingReader}). */
    static void checkPackedVersion(int version) {
        if (version != PACKED_VERSION) {
            throw new EventDecodingException("unknown schemaVersion " + version + " in a packed token routing (this"
                    + " build reads " + PACKED_VERSION + ")");
        }
    }

    /** A packed record's decisions ({@code length} bytes from {@code offset}) checked as both of its readers do. */
    static void checkPackedRouting(byte[] bytes, int offset, int length) {
        String problem = PackedRouting.problem(bytes, offset, length);
        if (problem != null) {
            throw new EventDecodingException("truncated or corrupt record: " + problem);
        }
    }

    /** Whether {@code bytes} start with the marker and the fingerprint of the packed form. */
    static boolean isPacked(byte[] bytes) {
        return bytes != null && isPacked(bytes, 0, bytes.length);
    }

    /** {@link #isPacked(byte[])} of the record {@code bytes[offset, offset + length)}. */
    static boolean isPacked(byte[] bytes, int offset, int length) {
        return bytes != null && length >= HEADER_LENGTH && startsWith(bytes, offset, PACKED_HEADER);
    }

    /** Whether {@code bytes} start with the marker and the fingerprint of this schema or of the previous one. */
    static boolean hasHeader(byte[] bytes) {
        return bytes != null && hasHeader(bytes, 0, bytes.length);
    }

    /** {@link #hasHeader(byte[])} of the record {@code bytes[offset, offset + length)}. */
    static boolean hasHeader(byte[] bytes, int offset, int length) {
        return bytes != null && length >= HEADER_LENGTH
                && (startsWith(bytes, offset, HEADER) || startsWith(bytes, offset, PREVIOUS_HEADER));
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] header) {
        return Arrays.equals(bytes, offset, offset + HEADER_LENGTH, header, 0, HEADER_LENGTH);
    }

    private static byte[] header(long fingerprint) {
        return ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
    }

    static int phaseIndex(Phase phase) {
        for (int i = 0; i < PHASES.length; i++) {
            if (PHASES[i] == phase) {
                return i;
            }
        }
        throw new IllegalArgumentException("phase " + phase + " is not a symbol of the schema");
    }

    /** The phase of an enum index, or null when the index is none of the schema's symbols. */
    static Phase phase(int index) {
        return index >= 0 && index < PHASES.length ? PHASES[index] : null;
    }
}
