package io.moescope.events;

import io.moescope.events.avro.AvroLayerRouting;
import io.moescope.events.avro.AvroModelIdentity;
import io.moescope.events.avro.AvroPackedTokenRouting;
import io.moescope.events.avro.AvroRunLifecycle;
import io.moescope.events.avro.AvroRunStatus;
import io.moescope.events.avro.AvroTokenRouting;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;

/**
 * Encodes moescope events as Avro single-object messages: a two-byte marker, the 8-byte fingerprint of the writer
 * schema, then the Avro binary body. The fingerprint lets a reader refuse a record written with a schema it does not
 * know; {@code schemaVersion} inside the body says which revision of moescope's schema wrote it.
 *
 * <p>Token routings, one record per token, are written by hand ({@link TokenRoutingWriter}) and read by hand where
 * it matters ({@link TokenRoutingReader}, into columns); both implement the schemas {@link TokenRoutingLayout}
 * declares: the packed form for nearly every token, the form with an array of decisions for the others.
 * {@link #decodeTokenRouting} reads them with Avro's generated classes: for rare paths, and the reference the
 * reader is tested against.
 *
 * <p>Thread-safe: Avro's message encoders and decoders keep per-thread buffers.
 */
public final class EventCodec {

    /**
     * Revision of the run events' schema, and of the token routings' form with an array of decisions; packed token
     * routings are revision 2 ({@link TokenRoutingLayout}).
     */
    public static final int SCHEMA_VERSION = 1;

    /**
     * The run event schema before {@code requestsNotSeparable}: a compatible addition, so {@link #SCHEMA_VERSION}
     * stays; the fingerprint tells the writer's schema, and records of this one decode with the field null.
     */
    static final String RUN_SCHEMA_WITHOUT_SEPARATION = "RunLifecycle-v1.avsc";

    /**
     * The run event schema before {@code responses} (a tap's responses by outcome), with {@code requestsNotSeparable}:
     * likewise a compatible addition; records of it decode with {@code responses} null.
     */
    static final String RUN_SCHEMA_WITHOUT_RESPONSES = "RunLifecycle-v2.avsc";

    /** Run events are rare; Avro's generated per-class coders are still cheaper than its reflective writer. */
    private final BinaryMessageEncoder<AvroRunLifecycle> runEncoder;
    private final BinaryMessageDecoder<AvroRunLifecycle> runDecoder;
    private final BinaryMessageDecoder<AvroTokenRouting> tokenDecoder;
    private final BinaryMessageDecoder<AvroPackedTokenRouting> packedTokenDecoder =
            AvroPackedTokenRouting.createDecoder(null);
    private final TokenRoutingWriter tokenWriter = new TokenRoutingWriter();

    public EventCodec() {
        var model = new SpecificData();
        model.setCustomCoders(true);
        this.runEncoder = new BinaryMessageEncoder<>(model, AvroRunLifecycle.getClassSchema());
        this.runDecoder = AvroRunLifecycle.createDecoder(null);
        runDecoder.addSchema(OlderSchemas.load(RUN_SCHEMA_WITHOUT_SEPARATION));
        runDecoder.addSchema(OlderSchemas.load(RUN_SCHEMA_WITHOUT_RESPONSES));
        this.tokenDecoder = AvroTokenRouting.createDecoder(null);
        tokenDecoder.addSchema(OlderSchemas.load(TokenRoutingLayout.SCHEMA_WITHOUT_UNKNOWN_PHASE));
    }

    /** One token's routing; written directly from its arrays, on the generation thread for every token. */
    public byte[] encode(TokenRouting token) {
        return tokenWriter.write(token);
    }

    /**
     * A token routing of either form: packed (schema version 2) or with an array of decisions (version 1, and the
     * records of earlier releases); in the packed form weights and entropies are binary16, as stored.
     */
    public TokenRouting decodeTokenRouting(byte[] bytes) {
        if (TokenRoutingLayout.isPacked(bytes)) {
            return decodePacked(bytes);
        }
        AvroTokenRouting avro = fromBytes(bytes, () -> tokenDecoder.decode(bytes));
        checkVersion(avro.getSchemaVersion());
        var decisions = new ArrayList<RouterDecision>(avro.getLayers().size());
        try {
            for (AvroLayerRouting layer : avro.getLayers()) {
                Float entropy = layer.getRouterEntropy();
                int[] ids = ints(layer.getExpertIds());
                decisions.add(new RouterDecision(layer.getLayer(), ids, weights(layer.getWeights(), ids.length),
                        entropy == null ? Float.NaN : entropy));
            }
            return new TokenRouting(avro.getRunId(), avro.getRequestId(), avro.getTokenIndex(), avro.getTokenId(),
                    Phase.valueOf(avro.getPhase().name()), avro.getTimestampMicros(), decisions);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException("invalid token routing: " + e.getMessage(), e);
        }
    }

    private TokenRouting decodePacked(byte[] bytes) {
        AvroPackedTokenRouting avro = fromBytes(bytes, () -> packedTokenDecoder.decode(bytes));
        TokenRoutingLayout.checkPackedVersion(avro.getSchemaVersion());
        byte[] routing = new byte[avro.getRouting().remaining()];
        avro.getRouting().get(routing);
        TokenRoutingLayout.checkPackedRouting(routing, 0, routing.length);
        try {
            return new TokenRouting(avro.getRunId(), avro.getRequestId(), avro.getTokenIndex(), avro.getTokenId(),
                    Phase.valueOf(avro.getPhase().name()), avro.getTimestampMicros(), PackedRouting.decode(routing));
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException("invalid token routing: " + e.getMessage(), e);
        }
    }

    public byte[] encode(RunLifecycle run) {
        ModelIdentity m = run.model();
        var model = new AvroModelIdentity(m.name(), m.architecture(), m.numExperts(), m.topK(), m.numLayers(),
                m.moeLayers(), m.totalParameters(), m.activeParameters());
        var avro = new AvroRunLifecycle(SCHEMA_VERSION, run.runId(), run.runName(),
                AvroRunStatus.valueOf(run.status().name()), run.timestampMicros(), run.source(), model, run.tokens(),
                run.requestsNotSeparable(), run.responses());
        return toBytes(() -> runEncoder.encode(avro));
    }

    public RunLifecycle decodeRunLifecycle(byte[] bytes) {
        AvroRunLifecycle avro = fromBytes(bytes, () -> runDecoder.decode(bytes));
        checkVersion(avro.getSchemaVersion());
        AvroModelIdentity m = avro.getModel();
        try {
            var model = new ModelIdentity(m.getName(), m.getArchitecture(), m.getNumExperts(), m.getTopK(),
                    m.getNumLayers(), m.getMoeLayers(), m.getTotalParameters(), m.getActiveParameters());
            return new RunLifecycle(avro.getRunId(), avro.getRunName(), RunStatus.valueOf(avro.getStatus().name()),
                    avro.getTimestampMicros(), avro.getSource(), model, avro.getTokens(),
                    avro.getRequestsNotSeparable(), avro.getResponses());
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException("invalid run lifecycle: " + e.getMessage(), e);
        }
    }

    private static void checkVersion(int version) {
        if (version != SCHEMA_VERSION) {
            throw new EventDecodingException("unknown schemaVersion " + version + " (this build reads "
                    + SCHEMA_VERSION + ")");
        }
    }

    private static byte[] toBytes(AvroWrite write) {
        try {
            ByteBuffer buffer = write.run();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("Avro could not encode an in-memory record", e);
        }
    }

    private static <T> T fromBytes(byte[] bytes, AvroRead<T> read) {
        if (bytes == null || bytes.length == 0) {
            throw new EventDecodingException("empty record");
        }
        try {
            return read.run();
        } catch (BadHeaderException e) {
            throw new EventDecodingException("not an Avro single-object message: " + e.getMessage(), e);
        } catch (MissingSchemaException e) {
            throw new EventDecodingException("written with an unknown schema: " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new EventDecodingException("truncated or corrupt record: " + e, e);
        }
    }

    private static int[] ints(List<Integer> values) {
        int[] array = new int[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    /** The weights of a decision of {@code experts} ids: each NaN when none are written (TokenRoutingLayout). */
    private static float[] weights(List<Float> values, int experts) {
        if (values.isEmpty()) {
            float[] unknown = new float[experts];
            Arrays.fill(unknown, Float.NaN);
            return unknown;
        }
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    @FunctionalInterface
    private interface AvroWrite {
        ByteBuffer run() throws IOException;
    }

    @FunctionalInterface
    private interface AvroRead<T> {
        T run() throws IOException;
    }
}
