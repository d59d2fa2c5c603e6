package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.avro.AvroTokenRouting;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
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
        assertThat(TokenRoutingLayout.FINGERPRINT).isEqualTo(0xd825351d865b28dcL);
    }

    @Test
    void everyTokenStartsWithTheMarkerAndTheFingerprintLittleEndian() {
        var token = new TokenRouting("r", "q", 0, -1, Phase.PREFILL, 0L, List.of());

        byte[] header = Arrays.copyOf(new EventCodec().encode(token), TokenRoutingLayout.HEADER_LENGTH);

        assertThat(header).containsExactly(0xC3, 0x01, 0xDC, 0x28, 0x5B, 0x86, 0x1D, 0x35, 0x25, 0xD8);
    }

    @Test
    void phasesAreTheEnumsSymbolsInTheirOrder() {
        assertThat(TokenRoutingLayout.phase(0)).isEqualTo(Phase.PREFILL);
        assertThat(TokenRoutingLayout.phase(1)).isEqualTo(Phase.DECODE);
        assertThat(TokenRoutingLayout.phase(2)).isNull();
        assertThat(TokenRoutingLayout.phaseIndex(Phase.DECODE)).isEqualTo(1);
    }
}
