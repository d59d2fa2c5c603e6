package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.avro.AvroLayerRouting;
import io.moescope.events.avro.AvroPhase;
import io.moescope.events.avro.AvroTokenRouting;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRoutingWriterTest {

    private final TokenRoutingWriter writer = new TokenRoutingWriter();

    @Test
    void writesExactlyTheBytesOfAvrosOwnWriterForTheSameToken() throws Exception {
        var token = new TokenRouting("run-ä", "req-7", 3, 4711, Phase.DECODE, 1_700_000_000_123_456L, List.of(
                new RouterDecision(0, new int[] {5, 2}, new float[] {0.75f, 0.25f}, 1.5f),
                RouterDecision.withoutEntropy(12, new int[] {63, 0, 7}, new float[] {0.5f, 0.3f, 0.2f})));
        var avro = new AvroTokenRouting(1, "run-ä", "req-7", 3, 4711, AvroPhase.DECODE, 1_700_000_000_123_456L,
                List.of(new AvroLayerRouting(0, List.of(5, 2), List.of(0.75f, 0.25f), 1.5f),
                        new AvroLayerRouting(12, List.of(63, 0, 7), List.of(0.5f, 0.3f, 0.2f), null)));

        assertThat(writer.write(token, 1)).isEqualTo(bytes(AvroTokenRouting.getEncoder().encode(avro)));
    }

    @Test
    void aPrefillTokenWithoutDecisionsIsWrittenAsAvroWritesIt() throws Exception {
        var token = new TokenRouting("r", "q", 0, -1, Phase.PREFILL, 0L, List.of());
        var avro = new AvroTokenRouting(1, "r", "q", 0, -1, AvroPhase.PREFILL, 0L, List.of());

        assertThat(writer.write(token, 1)).isEqualTo(bytes(AvroTokenRouting.getEncoder().encode(avro)));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
