package io.moescope.events;

import io.moescope.events.avro.AvroExpertAccess;
import io.moescope.events.avro.AvroExpertCacheStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import org.apache.avro.AvroRuntimeException;

/** Avro single-object encoding of {@link ExpertCacheStep} (topic {@link Topics#EXPERT_CACHE}). Thread-safe. */
public final class ExpertCacheCodec {

    public static final int SCHEMA_VERSION = 1;

    public byte[] encode(ExpertCacheStep step) {
        var accesses = new ArrayList<AvroExpertAccess>(step.accesses().size());
        for (ExpertCacheStep.Access a : step.accesses()) {
            accesses.add(new AvroExpertAccess(a.layer(), a.expert(), a.hit(), a.bytesRead(), a.loadNanos(),
                    a.evicted()));
        }
        var avro = new AvroExpertCacheStep(SCHEMA_VERSION, step.runId(), step.requestId(), step.firstTokenIndex(),
                step.tokens(), step.timestampMicros(), step.capacity(), step.policy(), accesses);
        try {
            ByteBuffer buffer = AvroExpertCacheStep.getEncoder().encode(avro);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an expert cache step", e);
        }
    }

    public ExpertCacheStep decode(byte[] bytes) {
        AvroExpertCacheStep avro;
        try {
            avro = AvroExpertCacheStep.getDecoder().decode(bytes);
        } catch (IOException | AvroRuntimeException e) {
            throw new EventDecodingException("not an expert cache step: " + e.getMessage(), e);
        }
        if (avro.getSchemaVersion() != SCHEMA_VERSION) {
            throw new EventDecodingException("expert cache schema version " + avro.getSchemaVersion()
                    + " is not supported; this build reads " + SCHEMA_VERSION);
        }
        var accesses = new ArrayList<ExpertCacheStep.Access>(avro.getAccesses().size());
        for (AvroExpertAccess a : avro.getAccesses()) {
            accesses.add(new ExpertCacheStep.Access(a.getLayer(), a.getExpert(), a.getHit(), a.getBytesRead(),
                    a.getLoadNanos(), a.getEvicted()));
        }
        return new ExpertCacheStep(avro.getRunId(), avro.getRequestId(), avro.getFirstTokenIndex(), avro.getTokens(),
                avro.getTimestampMicros(), avro.getCapacity(), avro.getPolicy(), accesses);
    }
}
