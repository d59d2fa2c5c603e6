package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.avro.AvroPackedTokenRouting;
import io.moescope.events.avro.AvroTokenRouting;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Pins the hand-written codec to the schema file: a change of the .avsc fails here until the codec follows. */
class TokenRoutingLayoutTest {

    @Test
    void theCodecDeclaresTheParsingFormOfTokenRoutingAvsc() throws IOException {
        var parser = new Schema.Parser();
        parser.parse(new File("src/main/avro/Phase.avsc"));
        parser.parse(new File("src/main/avro/LayerRouting.avsc"));
        Schema schema = parser.parse(new File("src/main/avro/TokenRouting.avsc"));

        assertThat(TokenRoutingLayout.PARSING_FORM).isEqualTo(SchemaNormalization.toParsingForm(schema));
    }

    @Test
    void theCodecDeclaresTheSchemaOfTheGeneratedClasses() {
        assertThat(TokenRoutingLayout.PARSING_FORM)
                .isEqualTo(SchemaNormalization.toParsingForm(AvroTokenRouting.getClassSchema()));
    }

    @Test
    void theFingerprintIsTheDeclaredSchemasCrc64() {
        assertThat(TokenRoutingLayout.FINGERPRINT).isEqualTo(0x2db120af9bafdec1L);
    }

    @Test
    void everyTokenStartsWithTheMarkerAndTheFingerprintLittleEndian() {
        var token = new TokenRouting("r", "q", 0, -1, Phase.PREFILL, 0L, List.of());

        byte[] header = Arrays.copyOf(new TokenRoutingWriter().writeLayers(token, 1), TokenRoutingLayout.HEADER_LENGTH);

        assertThat(header).containsExactly(0xC3, 0x01, 0xC1, 0xDE, 0xAF, 0x9B, 0xAF, 0x20, 0xB1, 0x2D);
    }

    @Test
    void theCodecDeclaresTheParsingFormOfPackedTokenRoutingAvsc() throws IOException {
        var parser = new Schema.Parser();
        parser.parse(new File("src/main/avro/Phase.avsc"));
        Schema schema = parser.parse(new File("src/main/avro/PackedTokenRouting.avsc"));

        assertThat(TokenRoutingLayout.PACKED_PARSING_FORM).isEqualTo(SchemaNormalization.toParsingForm(schema))
                .isEqualTo(SchemaNormalization.toParsingForm(AvroPackedTokenRouting.getClassSchema()));
    }

    @Test
    void aPackedTokenStartsWithTheMarkerAndThePackedFormsFingerprintLittleEndian() {
        var token = new TokenRouting("r", "q", 0, -1, Phase.PREFILL, 0L, List.of());

        byte[] header = Arrays.copyOf(new EventCodec().encode(token), TokenRoutingLayout.HEADER_LENGTH);

        assertThat(TokenRoutingLayout.PACKED_FINGERPRINT).isEqualTo(0x6cd14a8738c9d02aL);
        assertThat(header).containsExactly(0xC3, 0x01, 0x2A, 0xD0, 0xC9, 0x38, 0x87, 0x4A, 0xD1, 0x6C);
    }

    @Test
    void phasesAreTheEnumsSymbolsInTheirOrder() {
        assertThat(TokenRoutingLayout.phase(0)).isEqualTo(Phase.PREFILL);
        assertThat(TokenRoutingLayout.phase(1)).isEqualTo(Phase.DECODE);
        assertThat(TokenRoutingLayout.phase(2)).isEqualTo(Phase.UNKNOWN);
        assertThat(TokenRoutingLayout.phase(3)).isNull();
        assertThat(TokenRoutingLayout.phaseIndex(Phase.UNKNOWN)).isEqualTo(2);
    }

    @Test
    void theSchemaBeforeTheUnknownPhaseIsTheFingerprintOfThePreviousRelease() {
        Schema previous = OlderSchemas.load(TokenRoutingLayout.SCHEMA_WITHOUT_UNKNOWN_PHASE);

        assertThat(SchemaNormalization.parsingFingerprint64(previous)).isEqualTo(0xd825351d865b28dcL);
    }

    @Test
    void aRecordOfThePreviousReleaseIsReadByTheReaderAndTheCodecAlike() throws IOException {
        Schema previous = OlderSchemas.load(TokenRoutingLayout.SCHEMA_WITHOUT_UNKNOWN_PHASE);
        Schema layerSchema = previous.getField("layers").schema().getElementType();
        GenericRecord layer = new GenericRecordBuilder(layerSchema).set("layer", 3).set("expertIds", List.of(5, 1))
                .set("weights", List.of(0.75f, 0.25f)).set("routerEntropy", 0.5f).build();
        GenericRecord token = new GenericRecordBuilder(previous).set("schemaVersion", 1).set("runId", "run")
                .set("requestId", "req").set("tokenIndex", 7).set("tokenId", 42)
                .set("phase", new GenericData.EnumSymbol(previous.getField("phase").schema(), "DECODE"))
                .set("timestampMicros", 1_000L).set("layers", List.of(layer)).build();
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), previous).encode(token);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        var expected = new TokenRouting("run", "req", 7, 42, Phase.DECODE, 1_000L,
                List.of(new RouterDecision(3, new int[] {5, 1}, new float[] {0.75f, 0.25f}, 0.5f)));

        assertThat(new TokenRoutingReader(new EventCodec()).read(bytes)).usingRecursiveComparison().isEqualTo(expected);
        assertThat(new EventCodec().decodeTokenRouting(bytes)).usingRecursiveComparison().isEqualTo(expected);
    }
}
