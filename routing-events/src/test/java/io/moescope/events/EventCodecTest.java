package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.avro.AvroRunLifecycle;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    private static TokenRouting token() {
        return new TokenRouting("run-1", "req-7", 3, 4711, Phase.DECODE, 1_700_000_000_123_456L, List.of(
                new RouterDecision(0, new int[] {5, 2}, new float[] {0.75f, 0.25f}, 1.5f),
                RouterDecision.withoutEntropy(1, new int[] {0, 7}, new float[] {0.5f, 0.5f})));
    }

    private static RunLifecycle run() {
        var model = new ModelIdentity("demo", "MixtralForCausalLM", 8, 2, 2, List.of(0, 1), 1000, 400);
        return new RunLifecycle("run-1", "demo run", RunStatus.FINISHED, 42L, "probe", model, 96);
    }

    @Test
    void tokenRoutingSurvivesARoundTrip() {
        assertThat(codec.decodeTokenRouting(codec.encode(token()))).isEqualTo(token());
    }

    @Test
    void aTokenOfIdsOnlyInTheLayersFormSurvivesARoundTripWithoutItsUnknownWeightsOnTheWire() {
        float[] unknown = {Float.NaN, Float.NaN};
        var idsOnly = new TokenRouting("run-1", "req-7", 3, 4711, Phase.DECODE, 1_700_000_000_123_456L, List.of(
                RouterDecision.withoutEntropy(1, new int[] {0, 7}, unknown)));
        var known = new TokenRouting("run-1", "req-7", 3, 4711, Phase.DECODE, 1_700_000_000_123_456L, List.of(
                RouterDecision.withoutEntropy(1, new int[] {0, 7}, new float[] {0.5f, 0.5f})));

        var writer = new TokenRoutingWriter();

        assertThat(codec.decodeTokenRouting(writer.writeLayers(idsOnly, 1))).isEqualTo(idsOnly);
        // the two weights (4 bytes each) and their array's count (1 byte) are not written
        assertThat(writer.writeLayers(idsOnly, 1)).hasSize(writer.writeLayers(known, 1).length - 9);
    }

    @Test
    void unknownRouterEntropyStaysUnknown() {
        var decoded = codec.decodeTokenRouting(codec.encode(token()));
        assertThat(decoded.decisions().get(1).hasRouterEntropy()).isFalse();
    }

    @Test
    void runLifecycleSurvivesARoundTrip() {
        assertThat(codec.decodeRunLifecycle(codec.encode(run()))).isEqualTo(run());
    }

    @Test
    void theReasonARunsRequestsCannotBeToldApartSurvivesARoundTrip() {
        var run = new RunLifecycle("run-1", "routes.jsonl", RunStatus.STARTED, 42L, "import:route-log",
                run().model(), 0, "requests in stream '0': 3 of its 3 forward passes after the first hold several"
                        + " tokens");

        assertThat(codec.decodeRunLifecycle(codec.encode(run)).requestsNotSeparable())
                .isEqualTo("requests in stream '0': 3 of its 3 forward passes after the first hold several tokens");
    }

    @Test
    void aRunLifecycleWrittenBeforeRequestSeparationDecodesAsSeparable() throws IOException {
        byte[] older = OlderSchemaBytes.reencode(codec.encode(run()), AvroRunLifecycle.getClassSchema(),
                EventCodec.RUN_SCHEMA_WITHOUT_SEPARATION);

        RunLifecycle decoded = codec.decodeRunLifecycle(older);

        assertThat(decoded).isEqualTo(run());
        assertThat(decoded.requestsNotSeparable()).isNull();
    }

    @Test
    void aTapsResponsesByOutcomeSurviveARoundTrip() {
        var responses = new LinkedHashMap<String, Long>();
        responses.put("captured", 120L);
        responses.put("passed_through", 3L);
        responses.put("decode_failed", 0L);
        responses.put("too_large", 1L);
        responses.put("upstream_error", 2L);
        var run = new RunLifecycle("run-1", "prod-tap", RunStatus.FINISHED, 42L, "tap:vllm", run().model(), 480,
                null, responses);

        RunLifecycle decoded = codec.decodeRunLifecycle(codec.encode(run));

        assertThat(decoded).isEqualTo(run);
        assertThat(decoded.responses()).containsOnly(Map.entry("captured", 120L), Map.entry("passed_through", 3L),
                Map.entry("decode_failed", 0L), Map.entry("too_large", 1L), Map.entry("upstream_error", 2L));
    }

    @Test
    void aRunLifecycleWrittenBeforeTapResponsesDecodesWithoutThemAndKeepsItsReason() throws IOException {
        var run = new RunLifecycle("run-1", "routes.jsonl", RunStatus.FINISHED, 42L, "import:route-log",
                run().model(), 96, "one req_id for a batch");
        byte[] older = OlderSchemaBytes.reencode(codec.encode(run), AvroRunLifecycle.getClassSchema(),
                EventCodec.RUN_SCHEMA_WITHOUT_RESPONSES);

        RunLifecycle decoded = codec.decodeRunLifecycle(older);

        assertThat(decoded).isEqualTo(run);
        assertThat(decoded.requestsNotSeparable()).isEqualTo("one req_id for a batch");
        assertThat(decoded.responses()).isNull();
    }

    @Test
    void aNegativeResponseCountIsRefused() {
        assertThatThrownBy(() -> new RunLifecycle("run-1", "prod-tap", RunStatus.FINISHED, 42L, "tap:vllm",
                run().model(), 0, null, Map.of("captured", -1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("captured");
    }

    @Test
    void everyRecordStartsWithTheAvroSingleObjectMarker() {
        byte[] bytes = codec.encode(token());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
    }

    @Test
    void bytesThatAreNotAnAvroMessageAreRefusedWithTheReason() {
        assertThatThrownBy(() -> codec.decodeTokenRouting("{\"not\":\"avro\"}".getBytes()))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("not an Avro single-object message");
    }

    @Test
    void aRunLifecycleIsNotAcceptedAsATokenRouting() {
        assertThatThrownBy(() -> codec.decodeTokenRouting(codec.encode(run())))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("unknown schema");
    }

    @Test
    void aTruncatedRecordIsRefused() {
        byte[] bytes = codec.encode(token());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 6);
        assertThatThrownBy(() -> codec.decodeTokenRouting(truncated))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void anEmptyRecordIsRefused() {
        assertThatThrownBy(() -> codec.decodeTokenRouting(new byte[0]))
                .isInstanceOf(EventDecodingException.class)
                .hasMessage("empty record");
    }

    @Test
    void kafkaKeyKeepsARequestsTokensTogether() {
        assertThat(token().kafkaKey()).isEqualTo("run-1/req-7");
    }

    @Test
    void aDecisionWithMoreIdsThanWeightsIsRejected() {
        assertThatThrownBy(() -> new RouterDecision(0, new int[] {1, 2}, new float[] {1f}, Float.NaN))
                .hasMessage("layer 0: 2 expert ids but 1 weights");
    }
}
