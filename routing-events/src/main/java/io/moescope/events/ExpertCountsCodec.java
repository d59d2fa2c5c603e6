package io.moescope.events;

import io.moescope.events.avro.AvroExpertCounts;
import io.moescope.events.avro.AvroLayerCounts;
import io.moescope.events.avro.AvroPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.AvroRuntimeException;

/** Avro single-object encoding of {@link ExpertCounts} (topic {@link Topics#EXPERT_COUNTS}). Thread-safe. */
public final class ExpertCountsCodec {

    public static final int SCHEMA_VERSION = 1;

    public byte[] encode(ExpertCounts step) {
        var layers = new ArrayList<AvroLayerCounts>(step.layers().size());
        for (ExpertCounts.LayerCounts layer : step.layers()) {
            layers.add(new AvroLayerCounts(layer.layer(), Arrays.stream(layer.counts()).boxed().toList()));
        }
        var avro = new AvroExpertCounts(SCHEMA_VERSION, step.runId(), step.step(),
                AvroPhase.valueOf(step.phase().name()), step.timestampMicros(), step.tokens(), layers);
        try {
            ByteBuffer buffer = AvroExpertCounts.getEncoder().encode(avro);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode expert counts", e);
        }
    }

    public ExpertCounts decode(byte[] bytes) {
        AvroExpertCounts avro;
        try {
            avro = AvroExpertCounts.getDecoder().decode(bytes);
        } catch (IOException | AvroRuntimeException e) {
            throw new EventDecodingException("not expert counts: " + e.getMessage(), e);
        }
        if (avro.getSchemaVersion() != SCHEMA_VERSION) {
            throw new EventDecodingException("expert counts schema version " + avro.getSchemaVersion()
                    + " is not supported; this build reads " + SCHEMA_VERSION);
        }
        List<ExpertCounts.LayerCounts> layers = new ArrayList<>(avro.getLayers().size());
        for (AvroLayerCounts layer : avro.getLayers()) {
            layers.add(new ExpertCounts.LayerCounts(layer.getLayer(),
                    layer.getCounts().stream().mapToLong(Long::longValue).toArray()));
        }
        return new ExpertCounts(avro.getRunId(), avro.getStep(), Phase.valueOf(avro.getPhase().name()),
                avro.getTimestampMicros(), avro.getTokens(), layers);
    }
}
