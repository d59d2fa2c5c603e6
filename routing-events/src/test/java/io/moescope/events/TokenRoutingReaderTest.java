package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.avro.AvroLayerRouting;
import io.moescope.events.avro.AvroPhase;
import io.moescope.events.avro.AvroTokenRouting;
import io.moescope.events.validation.TokenView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenRoutingReaderTest {

    private final EventCodec codec = new EventCodec();
    private final TokenRoutingReader reader = new TokenRoutingReader(codec);

    @Test
    void decodesWhatTheLayersFormHoldsIntoTheSameValue() {
        var random = new Random(1);
        for (int i = 0; i < 2_000; i++) {
            TokenRouting token = randomToken(random);
            byte[] bytes = layersForm(token);

            assertThat(reader.read(bytes)).isEqualTo(token).isEqualTo(codec.decodeTokenRouting(bytes));
        }
    }

    @Test
    void decodesWhatTheCodecWroteIntoTheValueAsStoredWhenPackedAndTheSameValueOtherwise() {
        var random = new Random(1);
        int packed = 0;
        for (int i = 0; i < 2_000; i++) {
            TokenRouting token = randomToken(random);
            byte[] bytes = codec.encode(token);
            TokenRouting expected = token;
            if (TokenRoutingLayout.isPacked(bytes)) {
                expected = new TokenRouting(token.runId(), token.requestId(), token.tokenIndex(), token.tokenId(),
                        token.phase(), token.timestampMicros(),
                        PackedRouting.decode(PackedRouting.encode(TokenView.of(token))));
                packed++;
            }

            assertThat(reader.read(bytes)).isEqualTo(expected).isEqualTo(codec.decodeTokenRouting(bytes));
        }
        assertThat(packed).as("tokens sent packed").isBetween(500, 1_500);
    }

    @Test
    void aDecisionWithIdsAndNoWeightsIsReadWithEveryWeightUnknownAsTheCodecReadsIt() throws Exception {
        var avro = new AvroTokenRouting(1, "run", "tap-1", 5, -1, AvroPhase.DECODE, 9L,
                List.of(new AvroLayerRouting(3, List.of(17, 2, 200), List.of(), null)));
        byte[] bytes = bytes(AvroTokenRouting.getEncoder().encode(avro));
        var expected = new TokenRouting("run", "tap-1", 5, -1, Phase.DECODE, 9L, List.of(
                RouterDecision.withoutEntropy(3, new int[] {17, 2, 200},
                        new float[] {Float.NaN, Float.NaN, Float.NaN})));

        assertThat(reader.read(bytes)).isEqualTo(expected).isEqualTo(codec.decodeTokenRouting(bytes));
    }

    @Test
    void unknownWeightsSpelledOutAsBeforeIdsOnlyReadTheSame() throws Exception {
        var avro = new AvroTokenRouting(1, "run", "tap-1", 5, -1, AvroPhase.DECODE, 9L,
                List.of(new AvroLayerRouting(3, List.of(17, 2), List.of(Float.NaN, Float.NaN), null)));
        byte[] bytes = bytes(AvroTokenRouting.getEncoder().encode(avro));
        var expected = new TokenRouting("run", "tap-1", 5, -1, Phase.DECODE, 9L, List.of(
                RouterDecision.withoutEntropy(3, new int[] {17, 2}, new float[] {Float.NaN, Float.NaN})));

        assertThat(reader.read(bytes)).isEqualTo(expected).isEqualTo(codec.decodeTokenRouting(bytes));
    }

    @Test
    void refusesCorruptedRecordsAsTheCodecWouldAndAcceptsOnlyWhatTheCodecReadsTheSame() {
        var random = new Random(2);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 30_000; i++) {
            TokenRouting original = randomToken(random);
            byte[] bytes = mutate(i % 2 == 0 ? codec.encode(original) : layersForm(original), random);
            TokenRouting token;
            try {
                token = reader.read(bytes);
            } catch (EventDecodingException e) {
                assertThat(e.getMessage()).matches("(truncated or corrupt record|invalid token routing"
                        + "|not an Avro single-object message|written with an unknown schema|unknown schemaVersion"
                        + "|empty record).*");
                refused++;
                continue;
            }
            // Accepted: structurally sound, so the codec can read it without risk, and must read the same.
            assertThat(codec.decodeTokenRouting(bytes)).isEqualTo(token);
            accepted++;
        }
        assertThat(accepted).as("mutations that stayed valid").isPositive();
        assertThat(refused).as("mutations refused").isPositive();
    }

    @Test
    void refusesAnAbsurdArrayCountWithoutAllocatingIt() {
        byte[] valid = layersForm(randomToken(new Random(3)));
        // Right after the fixed fields, claim 2^40 layers.
        TokenRouting token = reader.read(valid);
        int layersStart = valid.length - layersBytes(token);
        byte[] bytes = Arrays.copyOf(valid, layersStart + 6);
        long zigzag = (1L << 40) << 1;
        for (int i = 0; i < 6; i++) {
            bytes[layersStart + i] = (byte) ((zigzag >>> (7 * i)) & 0x7F | (i < 5 ? 0x80 : 0));
        }

        assertThatThrownBy(() -> reader.read(bytes)).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("truncated or corrupt record: array count");
    }

    @Test
    void aRefusedRecordLeavesNothingOfItInTheSink() {
        TokenRouting token = randomToken(new Random(4));
        byte[] valid = layersForm(token);
        var sink = new SingleTokenSink();

        assertThatThrownBy(() -> reader.readInto(Arrays.copyOf(valid, valid.length - 1), sink))
                .isInstanceOf(EventDecodingException.class);
        assertThat(sink.size()).isZero();
        reader.readInto(valid, sink);
        assertThat(sink.token()).isEqualTo(token);
    }

    @Test
    void readsARecordWhereItLiesInALargerBufferAsItReadsTheRecordAlone() {
        var random = new Random(5);
        for (int i = 0; i < 200; i++) {
            TokenRouting token = randomToken(random);
            for (byte[] record : List.of(codec.encode(token), layersForm(token))) {
                byte[] buffer = new byte[record.length + 20];
                random.nextBytes(buffer);
                System.arraycopy(record, 0, buffer, 7, record.length);
                var sink = new SingleTokenSink();

                reader.readInto(buffer, 7, record.length, sink);

                assertThat(sink.token()).isEqualTo(reader.read(record));
            }
        }
    }

    @Test
    void aRecordCutShortInALargerBufferIsRefusedThoughBytesFollowIt() {
        TokenRouting token = randomToken(new Random(6));
        for (byte[] record : List.of(codec.encode(token), layersForm(token))) {
            byte[] buffer = Arrays.copyOf(record, record.length + 8);
            var sink = new SingleTokenSink();

            assertThatThrownBy(() -> reader.readInto(buffer, 0, record.length - 1, sink))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageStartingWith("truncated or corrupt record: ");
            assertThat(sink.size()).isZero();
        }
    }

    @Test
    void aNegativeExpertIdIsRefusedWithTheMessageOfRouterDecision() {
        var token = new TokenRouting("r", "q", 0, 1, Phase.DECODE, 2L,
                List.of(RouterDecision.withoutEntropy(3, new int[] {5}, new float[] {1f})));
        byte[] bytes = layersForm(token);
        bytes[bytes.length - 10] = 0x09; // expert id 5 (zig-zag 0x0A) becomes -5

        assertThatThrownBy(() -> reader.read(bytes)).isInstanceOf(EventDecodingException.class)
                .hasMessage("invalid token routing: layer 3: negative expert id -5");
    }

    @Test
    void ofSeveralInvalidDecisionsTheFirstIsReportedWithItsFirstBrokenRuleAsTheCodecReportsIt() throws Exception {
        var avro = new AvroTokenRouting(1, "run", "tap-1", 5, -1, AvroPhase.DECODE, 9L, List.of(
                new AvroLayerRouting(0, List.of(1, 2), List.of(0.5f, 0.5f), null),
                new AvroLayerRouting(1, List.of(-3, 2), List.of(0.5f), null),
                new AvroLayerRouting(-2, List.of(), List.of(), null)));
        byte[] bytes = bytes(AvroTokenRouting.getEncoder().encode(avro));

        assertThatThrownBy(() -> reader.read(bytes)).isInstanceOf(EventDecodingException.class)
                .hasMessage("invalid token routing: layer 1: 2 expert ids but 1 weights");
        assertThatThrownBy(() -> codec.decodeTokenRouting(bytes)).isInstanceOf(EventDecodingException.class)
                .hasMessage("invalid token routing: layer 1: 2 expert ids but 1 weights");
    }

    /** Bytes of the encoded layers array of a token (everything after the timestamp). */
    private int layersBytes(TokenRouting token) {
        var empty = new TokenRouting(token.runId(), token.requestId(), token.tokenIndex(), token.tokenId(),
                token.phase(), token.timestampMicros(), List.of());
        return layersForm(token).length - layersForm(empty).length + 1;
    }

    private static byte[] layersForm(TokenRouting token) {
        return new TokenRoutingWriter().writeLayers(token, 1);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] copy = bytes.clone();
                copy[10 + random.nextInt(copy.length - 10)] = (byte) random.nextInt(256);
                return copy;
            }
            case 1 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 2 -> {
                byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(4));
                return longer;
            }
            default -> {
                byte[] copy = bytes.clone();
                copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                return copy;
            }
        }
    }

    private static TokenRouting randomToken(Random random) {
        int layers = random.nextInt(5);
        int k = 1 + random.nextInt(3);
        var decisions = new ArrayList<RouterDecision>();
        for (int l = 0; l < layers; l++) {
            int[] experts = new int[k];
            float[] weights = new float[k];
            for (int j = 0; j < k; j++) {
                experts[j] = random.nextInt(300);
                weights[j] = random.nextInt(10) == 0 ? Float.NaN : random.nextFloat();
            }
            float entropy = switch (random.nextInt(3)) {
                case 0 -> Float.NaN;
                case 1 -> random.nextFloat() * 4;
                default -> -random.nextFloat();
            };
            decisions.add(new RouterDecision(l * (1 + random.nextInt(3)), experts, weights, entropy));
        }
        List<String> names = List.of("run", "r\u00e9sum\u00e9", "\u8def\u7531", "", "a/b");
        return new TokenRouting(names.get(random.nextInt(names.size())) + random.nextInt(100),
                names.get(random.nextInt(names.size())), random.nextInt(Integer.MAX_VALUE), random.nextInt() ,
                random.nextBoolean() ? Phase.PREFILL : Phase.DECODE, random.nextLong(), decisions);
    }
}
