package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.avro.AvroPackedTokenRouting;
import io.moescope.events.avro.AvroPhase;
import io.moescope.events.validation.TokenView;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packed form of a token routing (schema version 2): which tokens are sent so, its bytes, its reading. */
class PackedTokenRoutingTest {

    private final EventCodec codec = new EventCodec();
    private final TokenRoutingReader reader = new TokenRoutingReader(codec);

    private static TokenRouting token(RouterDecision... decisions) {
        return new TokenRouting("run-ä", "req-7", 3, 4711, Phase.DECODE, 1_700_000_000_123_456L, List.of(decisions));
    }

    private static TokenRouting topTwo(float weight, float entropy) {
        return token(new RouterDecision(0, new int[] {5, 2}, new float[] {0.75f, weight}, entropy),
                new RouterDecision(1, new int[] {63, 0}, new float[] {0.5f, 0.5f}, 1.5f));
    }

    @Test
    void theWriterWritesTheBytesOfAvrosOwnEncoderWithTheDecisionsAsTheStoredPackedRouting() throws Exception {
        TokenRouting token = topTwo(0.25f, 2f);
        var avro = new AvroPackedTokenRouting(2, "run-ä", "req-7", 3, 4711, AvroPhase.DECODE,
                1_700_000_000_123_456L, ByteBuffer.wrap(PackedRouting.encode(TokenView.of(token))));

        assertThat(codec.encode(token)).isEqualTo(bytes(AvroPackedTokenRouting.getEncoder().encode(avro)));
    }

    @Test
    void avrosReaderReadsAPackedRecordAsTheSameFields() throws Exception {
        TokenRouting token = topTwo(0.25f, Float.NaN);

        AvroPackedTokenRouting avro = AvroPackedTokenRouting.getDecoder().decode(codec.encode(token));

        assertThat(avro.getSchemaVersion()).isEqualTo(2);
        assertThat(avro.getRunId()).isEqualTo("run-ä");
        assertThat(bytes(avro.getRouting())).isEqualTo(PackedRouting.encode(TokenView.of(token)));
    }

    @Test
    void aTokenIsReadBackWithItsWeightsAndEntropiesAsStored() {
        TokenRouting token = topTwo(0.1f, 0.3f);

        TokenRouting read = reader.read(codec.encode(token));

        assertThat(read.decisions().get(0).weights()).containsExactly(0.75f, HalfFloat.round(0.1f));
        assertThat(read.decisions().get(0).routerEntropy()).isEqualTo(HalfFloat.round(0.3f));
        assertThat(read).isEqualTo(codec.decodeTokenRouting(codec.encode(token)));
    }

    @Test
    void unknownAndInfiniteWeightsAndEntropiesAreSentPacked() {
        assertThat(TokenRoutingLayout.isPacked(codec.encode(topTwo(Float.POSITIVE_INFINITY, 1f)))).isTrue();
        assertThat(TokenRoutingLayout.isPacked(codec.encode(topTwo(0.25f, Float.POSITIVE_INFINITY)))).isTrue();
        assertThat(TokenRoutingLayout.isPacked(codec.encode(token(RouterDecision.withoutEntropy(0, new int[] {1, 2},
                new float[] {Float.NaN, Float.NaN}))))).isTrue();
        assertThat(TokenRoutingLayout.isPacked(codec.encode(topTwo(-0.0f, 65504f)))).isTrue();
    }

    @Test
    void aNegativeWeightIsSentWithTheDecisionsListedSoThatValidationSeesItsExactValue() {
        assertThat(TokenRoutingLayout.isPacked(codec.encode(topTwo(-0.1f, 1f)))).isFalse();
    }

    @Test
    void aNegativeEntropyIsSentWithTheDecisionsListedAsBinary16WouldMoveItAcrossTheTolerance() {
        assertThat(HalfFloat.round(-0.001f)).isLessThan(-0.001f);
        assertThat(TokenRoutingLayout.isPacked(codec.encode(topTwo(0.25f, -0.001f)))).isFalse();
    }

    @Test
    void aFiniteWeightThatBinary16MakesInfiniteIsSentWithTheDecisionsListed() {
        assertThat(TokenRoutingLayout.isPacked(codec.encode(topTwo(65520f, 1f)))).isFalse();
        assertThat(TokenRoutingLayout.isPacked(codec.encode(topTwo(0.25f, 1e6f)))).isFalse();
    }

    @Test
    void aTokenThePackedLayoutCannotHoldIsSentWithTheDecisionsListedAndReadExactly() {
        TokenRouting mixedTopK = token(new RouterDecision(0, new int[] {5, 2}, new float[] {0.5f, 0.5f}, 1f),
                new RouterDecision(1, new int[] {3}, new float[] {1f}, 1f));
        TokenRouting wideId = token(new RouterDecision(0, new int[] {70_000}, new float[] {0.1f}, 1f));

        assertThat(TokenRoutingLayout.isPacked(codec.encode(mixedTopK))).isFalse();
        assertThat(reader.read(codec.encode(mixedTopK))).isEqualTo(mixedTopK);
        assertThat(reader.read(codec.encode(wideId))).isEqualTo(wideId);
    }

    @Test
    void theReaderHandsThePackedBytesToTheSinkAsTheyLieInTheRecord() {
        TokenRouting token = topTwo(0.25f, 2f);
        byte[] record = codec.encode(token);
        byte[][] handed = new byte[1][];
        var sink = new TokenRoutingSink() {
            @Override
            public void addPacked(String runId, String requestId, int tokenIndex, int tokenId, Phase phase,
                                  long micros, byte[] bytes, int offset, int length) {
                handed[0] = Arrays.copyOfRange(bytes, offset, offset + length);
            }

            @Override
            public int size() {
                return handed[0] == null ? 0 : 1;
            }

            @Override
            public void beginToken(String runId, String requestId, int tokenIndex, int tokenId, Phase phase,
                                   long micros) {
                throw new AssertionError("decoded value by value");
            }

            @Override
            public void addDecision(int layer, float entropy) {
            }

            @Override
            public void addExpert(int expert, float weight) {
            }

            @Override
            public void setWeight(int nth, float weight) {
            }

            @Override
            public void setLastEntropy(float entropy) {
            }

            @Override
            public void endToken() {
            }

            @Override
            public void truncate(int tokens) {
            }
        };

        reader.readInto(record, sink);

        assertThat(handed[0]).isEqualTo(PackedRouting.encode(TokenView.of(token)));
    }

    @Test
    void packedBytesOfAnotherLengthThanTheirHeaderMakesAreRefusedAsCorrupt() {
        byte[] record = codec.encode(topTwo(0.25f, 2f));
        // the last byte of the record is the last entropy's; the top-k in the header (record[record.length - 15..])
        // is not touched: cut the record's last byte and its length varint no longer matches
        byte[] cut = Arrays.copyOf(record, record.length - 1);

        assertThatThrownBy(() -> reader.read(cut)).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("truncated or corrupt record:");
        assertThatThrownBy(() -> codec.decodeTokenRouting(cut)).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("truncated or corrupt record:");
    }

    @Test
    void aPackedTokenWithLayersButNoExpertsIsRefusedWithTheMessageOfRouterDecision() throws Exception {
        // 2 layers from 4, top-0: flags, layers, top-k, first layer, then two entropies
        byte[] routing = HexFormat.of().parseHex("000002000000047E007E00");
        byte[] record = bytes(AvroPackedTokenRouting.getEncoder().encode(new AvroPackedTokenRouting(2, "r", "q", 0,
                -1, AvroPhase.DECODE, 0L, ByteBuffer.wrap(routing))));

        assertThatThrownBy(() -> reader.read(record)).isInstanceOf(EventDecodingException.class)
                .hasMessage("invalid token routing: layer 4: no expert ids");
        assertThatThrownBy(() -> codec.decodeTokenRouting(record)).isInstanceOf(EventDecodingException.class)
                .hasMessage("invalid token routing: layer 4: no expert ids");
    }

    @Test
    void aPackedRecordOfAnotherSchemaVersionIsRefused() throws Exception {
        byte[] record = bytes(AvroPackedTokenRouting.getEncoder().encode(new AvroPackedTokenRouting(3, "r", "q", 0,
                -1, AvroPhase.DECODE, 0L, ByteBuffer.wrap(PackedRouting.encode(TokenView.of(topTwo(0.5f, 1f)))))));

        assertThatThrownBy(() -> reader.read(record)).isInstanceOf(EventDecodingException.class)
                .hasMessage("unknown schemaVersion 3 in a packed token routing (this build reads 2)");
        assertThatThrownBy(() -> codec.decodeTokenRouting(record)).isInstanceOf(EventDecodingException.class)
                .hasMessage("unknown schemaVersion 3 in a packed token routing (this build reads 2)");
    }

    @Test
    void aPackedTokenIsUnderHalfTheBytesOfTheListedFormAt32LayersTopTwoOf64() {
        var decisions = new RouterDecision[32];
        for (int layer = 0; layer < 32; layer++) {
            decisions[layer] = new RouterDecision(layer, new int[] {layer, 63 - layer}, new float[] {0.6f, 0.4f},
                    1.25f);
        }
        TokenRouting token = token(decisions);

        // Packed: 36 bytes of header and fields, the packed bytes' length (2), their header and first layer (7),
        // then per decision 2 one-byte ids, 2 binary16 weights and a binary16 entropy (8). Listed: the same 36, the
        // array's count and end (2), per decision the layer, 2 array counts, 2 ids, 2 array ends, the union's
        // index (1 byte each), 2 floats and the entropy's (4 bytes each): 20.
        assertThat(codec.encode(token).length).isEqualTo(36 + 2 + 7 + 32 * 8);
        assertThat(new TokenRoutingWriter().writeLayers(token, 1).length).isEqualTo(36 + 2 + 32 * 20);
    }

    @Test
    void aTokenOfIdsOnlyOfDeepSeekV3sShapeIsSentAsItsIdsAndReadBackAsItWas() {
        // 58 MoE layers (3 to 60), top-8 of 256, weights and entropies unknown, as the tap captures from vLLM
        var decisions = new RouterDecision[58];
        float[] unknown = new float[8];
        Arrays.fill(unknown, Float.NaN);
        for (int d = 0; d < 58; d++) {
            decisions[d] = RouterDecision.withoutEntropy(3 + d, new int[] {0, 7, 14, 21, 28, 35, 42, 63}, unknown);
        }
        TokenRouting token = token(decisions);

        byte[] record = codec.encode(token);

        // Packed: the same 36 bytes of header and fields, the packed bytes' length (2), their header and first
        // layer (7) and the 464 ids; before the flags 928 NaN weights and 116 NaN entropies followed. Listed: the
        // 36, the array's count and end (2), per decision the layer, the ids' count, 8 ids, the ids' end, the
        // empty weights' end, the union's index (1 byte each): 13.
        assertThat(TokenRoutingLayout.isPacked(record)).isTrue();
        assertThat(record.length).isEqualTo(36 + 2 + 7 + 58 * 8);
        assertThat(new TokenRoutingWriter().writeLayers(token, 1).length).isEqualTo(36 + 2 + 58 * 13);
        assertThat(reader.read(record)).isEqualTo(token).isEqualTo(codec.decodeTokenRouting(record));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
