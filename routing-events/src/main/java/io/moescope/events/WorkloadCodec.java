package io.moescope.events;

import io.moescope.events.avro.AvroModelIdentity;
import io.moescope.events.avro.AvroRunWorkload;
import io.moescope.events.avro.AvroTokenText;
import io.moescope.events.avro.AvroWorkloadMessage;
import io.moescope.events.avro.AvroWorkloadRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BinaryMessageDecoder;

/** Avro single-object encoding of {@link RunWorkload} (topic {@link Topics#WORKLOADS}). Thread-safe. */
public final class WorkloadCodec {

    /** Unchanged by the compatible addition of {@code tokenTexts}: the Avro fingerprint tells the writer's schema. */
    public static final int SCHEMA_VERSION = 1;

    /** The schema before {@code tokenTexts}, so records written by older probes still decode (with no texts). */
    static final String SCHEMA_WITHOUT_TOKEN_TEXTS = "RunWorkload-v1.avsc";

    private final BinaryMessageDecoder<AvroRunWorkload> decoder;

    public WorkloadCodec() {
        decoder = AvroRunWorkload.createDecoder(null);
        decoder.addSchema(OlderSchemas.load(SCHEMA_WITHOUT_TOKEN_TEXTS));
    }

    public byte[] encode(RunWorkload workload) {
        ModelIdentity m = workload.model();
        var model = new AvroModelIdentity(m.name(), m.architecture(), m.numExperts(), m.topK(), m.numLayers(),
                m.moeLayers(), m.totalParameters(), m.activeParameters());
        var requests = new ArrayList<AvroWorkloadRequest>(workload.requests().size());
        for (RunWorkload.Request r : workload.requests()) {
            List<AvroWorkloadMessage> messages = r.messages().stream()
                    .map(msg -> new AvroWorkloadMessage(msg.role(), msg.content())).toList();
            requests.add(new AvroWorkloadRequest(r.requestId(), r.text(), messages,
                    r.arrivalMicros().isPresent() ? r.arrivalMicros().getAsLong() : null));
        }
        RunWorkload.Generation g = workload.generation();
        // Sorted by id, so that the same workload always encodes to the same bytes.
        List<AvroTokenText> texts = new TreeMap<>(workload.tokenTexts()).entrySet().stream()
                .map(e -> new AvroTokenText(e.getKey(), e.getValue())).toList();
        var avro = new AvroRunWorkload(SCHEMA_VERSION, workload.runId(), model, workload.modelSource(),
                g.maxNewTokens(), g.temperature(), g.topP(), g.seed(), g.stopTokenIds(), g.expertCache(),
                g.cachePolicy(), requests, texts);
        try {
            ByteBuffer buffer = AvroRunWorkload.getEncoder().encode(avro);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the workload of run " + workload.runId(), e);
        }
    }

    public RunWorkload decode(byte[] bytes) {
        AvroRunWorkload avro;
        try {
            avro = decoder.decode(bytes);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new EventDecodingException("not a run workload: " + e.getMessage(), e);
        }
        if (avro.getSchemaVersion() != SCHEMA_VERSION) {
            throw new EventDecodingException("workload schema version " + avro.getSchemaVersion()
                    + " is not supported; this build reads " + SCHEMA_VERSION);
        }
        try {
            AvroModelIdentity m = avro.getModel();
            var model = new ModelIdentity(m.getName(), m.getArchitecture(), m.getNumExperts(), m.getTopK(),
                    m.getNumLayers(), m.getMoeLayers(), m.getTotalParameters(), m.getActiveParameters());
            var generation = new RunWorkload.Generation(avro.getMaxNewTokens(), avro.getTemperature(),
                    avro.getTopP(), avro.getSeed(), avro.getStopTokenIds(), avro.getExpertCache(),
                    avro.getCachePolicy());
            var requests = new ArrayList<RunWorkload.Request>(avro.getRequests().size());
            for (AvroWorkloadRequest r : avro.getRequests()) {
                List<RunWorkload.Message> messages = r.getMessages().stream()
                        .map(msg -> new RunWorkload.Message(msg.getRole(), msg.getContent())).toList();
                Long arrival = r.getArrivalMicros();
                requests.add(new RunWorkload.Request(r.getRequestId(), r.getText(), messages,
                        arrival == null ? OptionalLong.empty() : OptionalLong.of(arrival)));
            }
            var texts = new HashMap<Integer, String>();
            for (AvroTokenText text : avro.getTokenTexts()) {
                if (texts.put(text.getTokenId(), text.getText()) != null) {
                    throw new IllegalArgumentException("token id " + text.getTokenId() + " has two texts");
                }
            }
            return new RunWorkload(avro.getRunId(), model, avro.getModelSource(), generation, requests, texts);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EventDecodingException("invalid run workload: " + e.getMessage(), e);
        }
    }
}
