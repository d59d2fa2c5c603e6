package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.avro.AvroRunWorkload;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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

    /** As an older probe wrote it. */
    private static byte[] asVersionOne(byte[] current) throws IOException {
        return OlderSchemaBytes.reencode(current, AvroRunWorkload.getClassSchema(),
                WorkloadCodec.SCHEMA_WITHOUT_TOKEN_TEXTS);
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
