package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.util.stream.Collectors.toSet;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.RunWorkload;
import io.moescope.events.TokenRouting;
import io.moescope.events.WorkloadLimit;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.traces.RecordingSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadRecordingTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final long T0_MICROS = 1_767_323_045_123_456L;
    private static final List<Prompt> PROMPTS = List.of(new Prompt("req-1", "Hello"),
            Prompt.chat("req-2", List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "MoE?"))));
    private static final Sampling SAMPLING = new Sampling(0.8, 0.9, 7);

    @TempDir
    static Path demo;
    private static int eos;

    @BeforeAll
    static void writeDemo() throws Exception {
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, DemoProgress.NONE);
        try (var checkpoint = MoeCheckpoint.open(demo)) {
            eos = checkpoint.config().eosTokenId();
        }
    }

    private final ProbeRunner runner = new ProbeRunner(Clock.fixed(T0, ZoneOffset.UTC));
    private final ProbeRequest request = new ProbeRequest(demo, PROMPTS, 4, "recorded", 3, CachePolicy.LFU, SAMPLING);

    @Test
    void aFinishedRunRecordsItsPromptsGenerationParametersArrivalsAndModelJustBeforeFinishing() {
        var sink = new RecordingSink();
        ProbeResult result = runner.run(request, sink, ProbeListener.NONE);

        assertThat(sink.workloads).hasSize(1);
        assertThat(sink.events.get(sink.events.size() - 2)).isSameAs(sink.workloads.get(0));
        assertThat(sink.workloads.get(0)).usingRecursiveComparison().ignoringFields("tokenTexts")
                .isEqualTo(new RunWorkload(result.runId(), result.model(),
                demo.toAbsolutePath().toString(), new RunWorkload.Generation(4, 0.8, 0.9, 7, List.of(eos), 3, "LFU"),
                List.of(new RunWorkload.Request("req-1", "Hello", List.of(), OptionalLong.of(T0_MICROS)),
                        new RunWorkload.Request("req-2", "", List.of(new RunWorkload.Message("system", "Be brief."),
                                new RunWorkload.Message("user", "MoE?")), OptionalLong.of(T0_MICROS)))));
    }

    @Test
    void theWorkloadCarriesTheTextOfEveryTokenIdTheRunRouted() {
        var sink = new RecordingSink();
        runner.run(request, sink, ProbeListener.NONE);

        var texts = sink.workloads.get(0).tokenTexts();
        assertThat(texts.keySet()).isEqualTo(sink.tokens.stream().map(TokenRouting::tokenId).collect(toSet()));
        // "Hello" on the demo's byte tokenizer: <s>, then byte b as id 3 + b.
        assertThat(texts).containsEntry(1, "<s>").containsEntry(3 + 'H', "H").containsEntry(3 + 'e', "e")
                .containsEntry(3 + 'l', "l").containsEntry(3 + 'o', "o");
    }

    @Test
    void aFailedRunRecordsItsWorkloadWithNoArrivalForRequestsItNeverReached() {
        var sink = new RecordingSink() {
            @Override
            public void token(TokenRouting token) {
                if (token.requestId().equals("req-2")) {
                    throw new IllegalStateException("disk full");
                }
                super.token(token);
            }
        };
        assertThatThrownBy(() -> runner.run(request, sink, ProbeListener.NONE)).hasMessage("disk full");

        assertThat(sink.workloads).hasSize(1);
        assertThat(sink.workloads.get(0).requests()).extracting(RunWorkload.Request::arrivalMicros)
                .containsExactly(OptionalLong.of(T0_MICROS), OptionalLong.of(T0_MICROS));
        assertThat(sink.events.get(sink.events.size() - 1)).isInstanceOf(RunLifecycle.class);
    }

    @Test
    void aRequestTheRunNeverTookUpHasNoArrival() {
        var sink = new RecordingSink() {
            @Override
            public void token(TokenRouting token) {
                throw new IllegalStateException("broker gone");
            }
        };
        assertThatThrownBy(() -> runner.run(request, sink, ProbeListener.NONE)).hasMessage("broker gone");

        assertThat(sink.workloads.get(0).requests()).extracting(RunWorkload.Request::arrivalMicros)
                .containsExactly(OptionalLong.of(T0_MICROS), OptionalLong.empty());
    }

    @Test
    void aRecordedWorkloadRunsAgainWithTheSamePromptsAndSamplingOnTheModelGiven() {
        var sink = new RecordingSink();
        runner.run(request, sink, ProbeListener.NONE);
        Path other = Path.of("/models/other");

        ProbeRequest rerun = WorkloadRerun.request(sink.workloads.get(0), other, "again", 0, CachePolicy.LRU);

        assertThat(rerun).isEqualTo(new ProbeRequest(other, PROMPTS, 4, "again", 0, CachePolicy.LRU, SAMPLING));
    }

    @Test
    void aWorkloadAboveTheLimitFailsBeforeTheRunStartsSendingNothing() {
        var sink = new RecordingSink();
        var limited = new ProbeRunner(Clock.fixed(T0, ZoneOffset.UTC), new WorkloadLimit(100));

        assertThatThrownBy(() -> limited.run(request, sink, ProbeListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("with 2 requests and 24 token texts, above the limit of 100 bytes (0.0 MiB)")
                .hasMessageEndingWith("run fewer prompts per run (split the prompt file into several runs)");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void aWorkloadWithinTheLimitRunsAsBefore() {
        var sink = new RecordingSink();
        var limited = new ProbeRunner(Clock.fixed(T0, ZoneOffset.UTC), new WorkloadLimit(100_000));

        limited.run(request, sink, ProbeListener.NONE);

        assertThat(sink.workloads).hasSize(1);
    }

    @Test
    void aWorkloadRefusedAtTheEndStillEndsTheRunWithItsFinishedEventAndEveryToken() {
        var sink = new RecordingSink() {
            @Override
            public void workload(RunWorkload workload) {
                throw new IllegalArgumentException("workload too large");
            }
        };
        assertThatThrownBy(() -> runner.run(request, sink, ProbeListener.NONE)).hasMessage("workload too large");

        assertThat(sink.tokens).isNotEmpty();
        assertThat(sink.events.get(sink.events.size() - 1)).isInstanceOfSatisfying(RunLifecycle.class,
                run -> assertThat(run.status()).isEqualTo(RunStatus.FINISHED));
    }
}
