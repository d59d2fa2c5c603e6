package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.avro.AvroLayerRouting;
import io.moescope.events.avro.AvroPhase;
import io.moescope.events.avro.AvroTokenRouting;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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

        assertThat(writer.writeLayers(token, 1)).isEqualTo(bytes(AvroTokenRouting.getEncoder().encode(avro)));
    }

    @Test
    void aPrefillTokenWithoutDecisionsIsWrittenAsAvroWritesIt() throws Exception {
        var token = new TokenRouting("r", "q", 0, -1, Phase.PREFILL, 0L, List.of());
        var avro = new AvroTokenRouting(1, "r", "q", 0, -1, AvroPhase.PREFILL, 0L, List.of());

        assertThat(writer.writeLayers(token, 1)).isEqualTo(bytes(AvroTokenRouting.getEncoder().encode(avro)));
    }

    @Test
    void extremeValuesUnknownWeightsAndEmptyStringsAreWrittenAsAvroWritesThem() throws Exception {
        float nanWithPayload = Float.intBitsToFloat(0x7fc0_1234);
        var token = new TokenRouting("", "\u20ac\uD83D\uDE00", Integer.MAX_VALUE, Integer.MIN_VALUE, Phase.UNKNOWN,
                Long.MIN_VALUE, List.of(
                        RouterDecision.withoutEntropy(Integer.MAX_VALUE, new int[] {Integer.MAX_VALUE, 0, 64, 8191},
                                new float[] {Float.NaN, nanWithPayload, -0.0f, Float.NEGATIVE_INFINITY}),
                        new RouterDecision(3, new int[] {255}, new float[] {Float.MIN_VALUE}, Float.MAX_VALUE)));
        var avro = new AvroTokenRouting(1, "", "\u20ac\uD83D\uDE00", Integer.MAX_VALUE, Integer.MIN_VALUE,
                AvroPhase.UNKNOWN, Long.MIN_VALUE, List.of(
                        new AvroLayerRouting(Integer.MAX_VALUE, List.of(Integer.MAX_VALUE, 0, 64, 8191),
                                List.of(Float.NaN, nanWithPayload, -0.0f, Float.NEGATIVE_INFINITY), null),
                        new AvroLayerRouting(3, List.of(255), List.of(Float.MIN_VALUE), Float.MAX_VALUE)));

        assertThat(writer.writeLayers(token, Integer.MIN_VALUE)).isEqualTo(bytes(AvroTokenRouting.getEncoder().encode(
                AvroTokenRouting.newBuilder(avro).setSchemaVersion(Integer.MIN_VALUE).build())));
    }

    /**
     * The tap's case: 58 MoE layers of top-8 of 256, weights unknown, written as ids only (no weights, as Avro writes
     * an empty weights list), to its exact length.
     */
    @Test
    void aDeepSeekShapedTokenWithUnknownWeightsIsWrittenAsIdsOnly() throws Exception {
        var decisions = new ArrayList<RouterDecision>();
        var layers = new ArrayList<AvroLayerRouting>();
        var random = new Random(7);
        for (int layer = 3; layer < 61; layer++) {
            int[] ids = random.ints(8, 0, 256).toArray();
            float[] weights = new float[8];
            Arrays.fill(weights, Float.NaN);
            decisions.add(RouterDecision.withoutEntropy(layer, ids, weights));
            layers.add(new AvroLayerRouting(layer, Arrays.stream(ids).boxed().toList(), List.of(), null));
        }
        var token = new TokenRouting("run", "tap-1", 4095, -1, Phase.UNKNOWN, 1_780_000_000_000_000L, decisions);
        var avro = new AvroTokenRouting(1, "run", "tap-1", 4095, -1, AvroPhase.UNKNOWN, 1_780_000_000_000_000L,
                layers);

        assertThat(writer.writeLayers(token, 1)).isEqualTo(bytes(AvroTokenRouting.getEncoder().encode(avro)));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
