package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.avro.AvroRunWorkload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class WorkloadCodecTest {

    private static final ModelIdentity MODEL = new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1),
            1000, 400);
    private static final RunWorkload.Generation GENERATION = new RunWorkload.Generation(16, 0.0, 1.0, 7, List.of(2),
            0, "LRU");

    private final WorkloadCodec codec = new WorkloadCodec();

    @Test
    void aWorkloadRoundTripsWithTextAndChatPromptsAndAMissingArrival() {
        var model = new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1), 1000, 400);
        var workload = new RunWorkload("run-1", model, "/models/demo",
                new RunWorkload.Generation(16, 0.7, 0.9, 42, List.of(2), 3, "LFU"), List.of(
                        new RunWorkload.Request("req-1", "Hello", List.of(), OptionalLong.of(1_700_000_000_000_000L)),
                        new RunWorkload.Request("req-2", "", List.of(new RunWorkload.Message("system", "Be brief."),
                                new RunWorkload.Message("user", "Hi")), OptionalLong.empty())));

        assertThat(codec.decode(codec.encode(workload))).isEqualTo(workload);
    }

    @Test
    void tokenTextsRoundTripIncludingSpacesAndReplacementPieces() {
        var workload = new RunWorkload("run-1", MODEL, "/models/demo", GENERATION,
                List.of(new RunWorkload.Request("req-1", "Hi there", List.of(), OptionalLong.empty())),
                Map.of(1, "<s>", 44, "Hi", 612, " there", 200, "<0xE2>"));

        assertThat(codec.decode(codec.encode(workload)).tokenTexts())
                .containsExactlyInAnyOrderEntriesOf(Map.of(1, "<s>", 44, "Hi", 612, " there", 200, "<0xE2>"));
    }

    @Test
    void aRecordWrittenWithTheSchemaBeforeTokenTextsDecodesWithNone() throws IOException {
        var workload = new RunWorkload("run-1", MODEL, "/models/demo", GENERATION,
                List.of(new RunWorkload.Request("req-1", "Hello", List.of(), OptionalLong.of(5L))));

        byte[] older = asVersionOne(codec.encode(workload));

        assertThat(codec.decode(older)).isEqualTo(workload);
        assertThat(codec.decode(older).tokenTexts()).isEmpty();
    }

    /** Re-encodes a record as an older probe wrote it: with the version-1 schema, so with its fingerprint. */
    private static byte[] asVersionOne(byte[] current) throws IOException {
        Schema v1 = WorkloadCodec.olderSchema(WorkloadCodec.SCHEMA_WITHOUT_TOKEN_TEXTS);
        int header = 10; // single-object encoding: 2 marker bytes and the 8-byte schema fingerprint
        GenericRecord record = new GenericDatumReader<GenericRecord>(AvroRunWorkload.getClassSchema(), v1)
                .read(null, DecoderFactory.get().binaryDecoder(current, header, current.length - header, null));
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void aLifecycleRecordIsNotMistakenForAWorkload() {
        var model = new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1), 1000, 400);
        byte[] lifecycle = new EventCodec().encode(new RunLifecycle("r", "n", RunStatus.STARTED, 1L, "probe", model,
                0));
        assertThatThrownBy(() -> codec.decode(lifecycle)).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("not a run workload: ");
    }
}
