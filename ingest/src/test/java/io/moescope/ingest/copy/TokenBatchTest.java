package io.moescope.ingest.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.EventCodec;
import io.moescope.events.EventDecodingException;
import io.moescope.events.PackedRouting;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.TokenRoutingReader;
import io.moescope.events.avro.AvroLayerRouting;
import io.moescope.events.avro.AvroPhase;
import io.moescope.events.avro.AvroTokenRouting;
import io.moescope.events.validation.TokenView;
import io.moescope.ingest.support.Tokens;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBatchTest {

    @Test
    void holdsTokensInColumnsAndGivesThemBackUnchanged() {
        var tokens = new ArrayList<TokenRouting>();
        for (int i = 0; i < 100; i++) { // past the initial capacities
            tokens.add(Tokens.token("run-" + i % 3, "req-" + i % 7, i, i % 2 == 0 ? Phase.PREFILL : Phase.DECODE,
                    1 + i % 40, 128));
        }
        tokens.add(new TokenRouting("run-x", "req", 0, -1, Phase.DECODE, 5L, List.of(
                RouterDecision.withoutEntropy(3, new int[] {1, 2, 3}, new float[] {0.5f, 0.25f, 0.25f}))));

        TokenBatch batch = TokenBatch.of(tokens);

        assertThat(batch.size()).isEqualTo(tokens.size());
        assertThat(batch.decisions()).isEqualTo(tokens.stream().mapToLong(t -> t.decisions().size()).sum());
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(batch.token(i)).isEqualTo(tokens.get(i));
        }
        TokenView view = batch.view(100);
        assertThat(view.topK(0)).isEqualTo(3);
        assertThat(view.expert(0, 2)).isEqualTo(3);
        assertThat(view.routerEntropy(0)).isNaN();
    }

    @Test
    void truncatingDropsTheTokensFromThereOnIncludingOneHalfBuilt() {
        TokenBatch batch = TokenBatch.of(Tokens.request("run", "req", 5, 4, 8));
        batch.beginToken("run", "req", 5, 0, Phase.DECODE, 0L);
        batch.addDecision(0, 1f);
        batch.addExpert(1, 1f);

        batch.truncate(3);
        batch.add(Tokens.token("run", "req", 9, Phase.DECODE, 2, 8));

        assertThat(batch.size()).isEqualTo(4);
        assertThat(batch.decisions()).isEqualTo(3 * 4 + 2);
        assertThat(batch.token(3)).isEqualTo(Tokens.token("run", "req", 9, Phase.DECODE, 2, 8));
    }

    @Test
    void aBatchEmptiedForReuseKeepsItsCapacityAndHoldsOnlyTheNewTokens() {
        TokenBatch batch = new TokenBatch(10);
        Tokens.request("run", "old", 10, 4, 8).forEach(batch::add);

        batch.truncate(0);
        batch.add(Tokens.token("run", "new", 0, Phase.PREFILL, 2, 8));

        assertThat(batch.tokenCapacity()).isEqualTo(10);
        assertThat(batch.size()).isEqualTo(1);
        assertThat(batch.decisions()).isEqualTo(2);
        assertThat(batch.token(0)).isEqualTo(Tokens.token("run", "new", 0, Phase.PREFILL, 2, 8));
    }

    @Test
    void theReaderAppendsDecodedTokensWithTheirWeightsAndNothingOfARefusedRecord() {
        var codec = new EventCodec();
        var reader = new TokenRoutingReader(codec);
        TokenRouting first = Tokens.token("run", "req", 0, Phase.PREFILL, 3, 8);
        var second = new TokenRouting("run", "req", 1, 7, Phase.DECODE, 9L,
                List.of(new RouterDecision(2, new int[] {4, 1}, new float[] {0.75f, 0.25f}, 0.5f)));
        byte[] secondBytes = codec.encode(second);
        var batch = new TokenBatch(1);

        reader.readInto(codec.encode(first), batch);
        assertThatThrownBy(() -> reader.readInto(Arrays.copyOf(secondBytes, secondBytes.length - 1), batch))
                .isInstanceOf(EventDecodingException.class);
        reader.readInto(secondBytes, batch);

        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.token(0)).isEqualTo(first);
        assertThat(batch.token(1)).isEqualTo(second);
        assertThat(batch.view(1).weight(0, 1)).isEqualTo(0.25f);
    }

    @Test
    void packsEachTokensRoutingAsItIsDecodedWithWideIdsListedLayersAndAnUnknownEntropy() {
        // layers 2, 5 (listed, flag 2); top-2; ids 256 = 0x0100, 3, 7, 1 (two bytes each, flag 1); weights
        // 0.5 = 0x3800 (twice), 0.75 = 0x3a00, 0.25 = 0x3400; entropy of layer 2 unknown (0x7e00), of layer 5
        // 1.5 = 0x3e00
        var codec = new EventCodec();
        var token = new TokenRouting("run", "req", 4, 11, Phase.DECODE, 9L, List.of(
                RouterDecision.withoutEntropy(2, new int[] {256, 3}, new float[] {0.5f, 0.5f}),
                new RouterDecision(5, new int[] {7, 1}, new float[] {0.75f, 0.25f}, 1.5f)));
        var batch = new TokenBatch(1);

        new TokenRoutingReader(codec).readInto(codec.encode(token), batch);

        assertThat(HexFormat.of().formatHex(routing(batch, 0))).isEqualTo("03" + "0002" + "0002" + "0002" + "0005"
                + "0100" + "0003" + "0007" + "0001" + "3800" + "3800" + "3a00" + "3400" + "7e00" + "3e00");
        assertThat(routing(batch, 0)).isEqualTo(PackedRouting.encode(TokenView.of(token)));
        assertThat(batch.maxLayer(0)).isEqualTo(5);
        assertThat(batch.maxExpertId(0)).isEqualTo(256);
    }

    @Test
    void aTokenOfIdsOnlyListedByAnEarlierProducerIsPackedAsTheSameBytesAsOneSentPacked() throws Exception {
        // layers 3, 4; top-2; ids (17, 2), (200, 0); no weights, no entropies: flags 0c, 13 bytes
        var codec = new EventCodec();
        var listed = new AvroTokenRouting(1, "run", "tap-1", 5, -1, AvroPhase.DECODE, 9L, List.of(
                new AvroLayerRouting(3, List.of(17, 2), List.of(), null),
                new AvroLayerRouting(4, List.of(200, 0), List.of(Float.NaN, Float.NaN), null)));
        var batch = new TokenBatch(2);
        var reader = new TokenRoutingReader(codec);

        reader.readInto(bytes(AvroTokenRouting.getEncoder().encode(listed)), batch);
        reader.readInto(codec.encode(batch.token(0)), batch);

        assertThat(batch.wireRouting(0)).as("came listed").isNull();
        assertThat(batch.wireRouting(1)).as("came packed").isNotNull();
        assertThat(HexFormat.of().formatHex(routing(batch, 0))).isEqualTo("0c" + "0002" + "0002" + "0003"
                + "1102" + "c800");
        assertThat(routing(batch, 1)).isEqualTo(routing(batch, 0));
    }

    @Test
    void packedRecordsWriteTheSameCopyStreamAsTheSameTokensDecodedValueByValue() throws Exception {
        var random = new Random(5);
        var tokens = new ArrayList<TokenRouting>();
        for (int i = 0; i < 300; i++) {
            // 32 layers top-2 of 64; 48 layers top-8 of 300 (two-byte ids); 4 listed layers top-1 of 256
            tokens.add(switch (i % 3) {
                case 0 -> Tokens.token("run-a", "req-" + i % 7, i, Phase.PREFILL, 32, 64);
                case 1 -> randomToken(random, "run-b", i, 48, 300, 8, 1);
                default -> randomToken(random, "run-c", i, 4, 256, 1, 3);
            });
        }
        var codec = new EventCodec();
        var reader = new TokenRoutingReader(codec);
        var received = new TokenBatch(tokens.size());
        for (TokenRouting token : tokens) {
            reader.readInto(codec.encode(token), received);
        }

        TokenBatch decoded = TokenBatch.of(tokens);

        assertThat(received.wireRouting(1)).as("the records came packed").isNotNull();
        assertThat(copyStream(received)).isEqualTo(copyStream(decoded));
        assertThat(received.decisions()).isEqualTo(decoded.decisions());
        for (int t = 0; t < tokens.size(); t++) {
            assertThat(received.maxLayer(t)).isEqualTo(decoded.maxLayer(t));
            assertThat(received.maxExpertId(t)).isEqualTo(decoded.maxExpertId(t));
        }
    }

    private static byte[] copyStream(TokenBatch batch) throws Exception {
        var out = new ByteArrayOutputStream();
        TokenRoutingCopyWriter.encode(batch, TokenRoutingCopyWriter.keyOrder(batch), BatchRequestKeys.numbered(batch),
                out::write);
        return out.toByteArray();
    }

    /** Distinct random experts with random weights in [0, 1), layers {@code step} apart. */
    private static TokenRouting randomToken(Random random, String runId, int index, int layers,
                                            int experts, int k, int step) {
        var decisions = new ArrayList<RouterDecision>();
        for (int l = 0; l < layers; l++) {
            int[] ids = random.ints(0, experts).distinct().limit(k).toArray();
            float[] weights = new float[k];
            for (int j = 0; j < k; j++) {
                weights[j] = random.nextFloat();
            }
            decisions.add(new RouterDecision(l * step, ids, weights, random.nextFloat() * 4));
        }
        return new TokenRouting(runId, "req-" + index % 5, index, index, Phase.DECODE, 1_000L * index, decisions);
    }

    @Test
    void theRoutingsOfTruncatedTokensAreForgottenWithThem() {
        TokenBatch batch = TokenBatch.of(Tokens.request("run", "req", 5, 4, 300));
        batch.beginToken("run", "req", 5, 0, Phase.DECODE, 0L);
        batch.addDecision(0, 1f);
        batch.addExpert(299, 1f);

        batch.truncate(2);
        TokenRouting replacement = Tokens.token("run", "req", 9, Phase.DECODE, 3, 8);
        batch.add(replacement);

        assertThat(routing(batch, 2)).isEqualTo(PackedRouting.encode(TokenView.of(replacement)));
        assertThat(routing(batch, 1)).isEqualTo(PackedRouting.encode(TokenView.of(batch.token(1))));
    }

    @Test
    void aTokenThePackedLayoutCannotHoldIsKeptAndRefusedByNameWhenItsRoutingIsAskedFor() {
        var batch = TokenBatch.of(List.of(new TokenRouting("run", "req", 6, 1, Phase.DECODE, 9L,
                List.of(new RouterDecision(70_000, new int[] {1}, new float[] {1f}, 0f)))));

        assertThat(batch.size()).isEqualTo(1);
        assertThatThrownBy(() -> batch.routingLength(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token 6 of request req cannot be packed: layer 70000 is outside the packed routing's"
                        + " 0..65535");
    }

    private static byte[] routing(TokenBatch batch, int token) {
        ByteBuffer out = ByteBuffer.allocate(batch.routingLength(token));
        batch.putRouting(token, out);
        return out.array();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
