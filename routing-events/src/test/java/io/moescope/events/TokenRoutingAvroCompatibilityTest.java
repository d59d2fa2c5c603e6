package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.avro.AvroLayerRouting;
import io.moescope.events.avro.AvroPhase;
import io.moescope.events.avro.AvroTokenRouting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both halves of the hand-written codec against Apache Avro's own reader and writer for the generated classes, over
 * the edge cases of every field type: what we write, Avro reads as the same record; what Avro writes, we read as the
 * same token.
 */
class TokenRoutingAvroCompatibilityTest {

    private final EventCodec codec = new EventCodec();
    private final TokenRoutingReader reader = new TokenRoutingReader(codec);

    static Stream<Arguments> tokens() {
        return Stream.of(
                Arguments.of("no layers", new TokenRouting("r", "q", 0, -1, Phase.PREFILL, 0L, List.of())),
                Arguments.of("empty ids", new TokenRouting("", "", 0, 0, Phase.DECODE, 1L,
                        List.of(RouterDecision.withoutEntropy(0, new int[] {0}, new float[] {1f})))),
                Arguments.of("extreme ints and longs", new TokenRouting("run", "req", Integer.MAX_VALUE,
                        Integer.MIN_VALUE, Phase.DECODE, Long.MIN_VALUE, List.of(
                                new RouterDecision(Integer.MAX_VALUE, new int[] {Integer.MAX_VALUE, 0},
                                        new float[] {Float.MAX_VALUE, Float.MIN_VALUE}, Float.MAX_VALUE)))),
                Arguments.of("latest timestamp", new TokenRouting("run", "req", 1, 2, Phase.PREFILL, Long.MAX_VALUE,
                        List.of(new RouterDecision(3, new int[] {4}, new float[] {0.5f}, 0f)))),
                Arguments.of("negative values", new TokenRouting("run", "req", 5, -123_456, Phase.DECODE,
                        -1_700_000_000_000_000L, List.of(new RouterDecision(1, new int[] {7, 3},
                                new float[] {-0.25f, -0f}, -1.5f)))),
                Arguments.of("non-finite floats", new TokenRouting("run", "req", 6, 9, Phase.DECODE, 10L, List.of(
                        RouterDecision.withoutEntropy(0, new int[] {1, 2, 3},
                                new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}),
                        new RouterDecision(2, new int[] {4}, new float[] {1f}, Float.POSITIVE_INFINITY)))),
                Arguments.of("unicode", new TokenRouting("run-\u00e4-\u8def\u7531", "req-\uD83D\uDE80-\u00df", 7, 8,
                        Phase.PREFILL, 11L, List.of(new RouterDecision(0, new int[] {1}, new float[] {1f}, 2f)))),
                Arguments.of("many wide layers", wide(200, 40)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void avrosSpecificReaderReadsWhatTheWriterWroteAsTheSameRecord(String name, TokenRouting token)
            throws IOException {
        byte[] bytes = layersForm(token);

        BinaryDecoder body = DecoderFactory.get().binaryDecoder(bytes, TokenRoutingLayout.HEADER_LENGTH,
                bytes.length - TokenRoutingLayout.HEADER_LENGTH, null);
        AvroTokenRouting read = new SpecificDatumReader<>(AvroTokenRouting.class).read(null, body);

        assertThat(read).isEqualTo(avro(token));
        assertThat(body.isEnd()).as("whole record read").isTrue();
        assertThat(AvroTokenRouting.getDecoder().decode(bytes)).as("header accepted").isEqualTo(avro(token));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void avrosGenericReaderReadsTheEntropyUnionAsNullOrFloat(String name, TokenRouting token) throws IOException {
        byte[] bytes = layersForm(token);

        GenericRecord read = new GenericDatumReader<GenericRecord>(AvroTokenRouting.getClassSchema()).read(null,
                DecoderFactory.get().binaryDecoder(bytes, TokenRoutingLayout.HEADER_LENGTH,
                        bytes.length - TokenRoutingLayout.HEADER_LENGTH, null));

        List<Object> entropies = new ArrayList<>();
        for (Object layer : (List<?>) read.get("layers")) {
            entropies.add(((GenericRecord) layer).get("routerEntropy"));
        }
        assertThat(entropies).containsExactlyElementsOf(avro(token).getLayers().stream()
                .map(AvroLayerRouting::getRouterEntropy).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void theReaderReadsWhatAvrosSpecificWriterWroteAsTheSameToken(String name, TokenRouting token)
            throws IOException {
        byte[] bytes = writtenByAvro(token, out -> EncoderFactory.get().binaryEncoder(out, null));

        assertThat(reader.read(bytes)).isEqualTo(token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void theReaderReadsArraysThatAvroWroteInSizedBlocks(String name, TokenRouting token) throws IOException {
        // Blocks of at most 64 bytes: negative item counts followed by the block's byte size, several per array.
        byte[] bytes = writtenByAvro(token,
                out -> new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null));

        assertThat(reader.read(bytes)).isEqualTo(token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void theWriterWritesTheBytesOfAvrosOwnEncoder(String name, TokenRouting token) throws IOException {
        ByteBuffer avros = AvroTokenRouting.getEncoder().encode(avro(token));

        assertThat(ByteBuffer.wrap(layersForm(token))).isEqualTo(avros);
    }

    /** The token in the form these tests are about, with an array of decisions (the packed form's test: below). */
    private static byte[] layersForm(TokenRouting token) {
        return new TokenRoutingWriter().writeLayers(token, 1);
    }

    /** The token as Avro's {@link SpecificDatumWriter} writes it, after Avro's single-object header. */
    private static byte[] writtenByAvro(TokenRouting token, Function<OutputStream, Encoder> encoders)
            throws IOException {
        var out = new ByteArrayOutputStream();
        out.write(avrosHeader());
        Encoder encoder = encoders.apply(out);
        new SpecificDatumWriter<>(AvroTokenRouting.class).write(avro(token), encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Avro's single-object header for the generated class's schema, computed by Avro, not by our layout. */
    private static byte[] avrosHeader() {
        return ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01)
                .putLong(SchemaNormalization.parsingFingerprint64(AvroTokenRouting.getClassSchema())).array();
    }

    private static AvroTokenRouting avro(TokenRouting token) {
        var layers = new ArrayList<AvroLayerRouting>();
        for (RouterDecision d : token.decisions()) {
            var weights = new ArrayList<Float>();
            for (float w : d.weights()) {
                weights.add(w);
            }
            layers.add(new AvroLayerRouting(d.layer(), Arrays.stream(d.expertIds()).boxed().toList(), weights,
                    d.hasRouterEntropy() ? d.routerEntropy() : null));
        }
        return new AvroTokenRouting(EventCodec.SCHEMA_VERSION, token.runId(), token.requestId(), token.tokenIndex(),
                token.tokenId(), AvroPhase.valueOf(token.phase().name()), token.timestampMicros(), layers);
    }

    private static TokenRouting wide(int layers, int k) {
        var decisions = new ArrayList<RouterDecision>();
        for (int l = 0; l < layers; l++) {
            int[] experts = new int[k];
            float[] weights = new float[k];
            for (int j = 0; j < k; j++) {
                experts[j] = l * k + j;
                weights[j] = 1f / (j + 1);
            }
            decisions.add(new RouterDecision(l, experts, weights, l % 2 == 0 ? Float.NaN : l / 10f));
        }
        return new TokenRouting("wide", "req", 12, 13, Phase.DECODE, 14L, decisions);
    }
}
