package io.moescope.tap.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.capture.TapRequest;
import io.moescope.traces.RecordingSink;
import io.moescope.traces.engine.EngineFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TapRunTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_780_000_000), ZoneOffset.UTC);

    private final RecordingSink sink = new RecordingSink();

    @Test
    void aTapRunStartsWithTheConfigsModelAndTheTapAsItsSource() {
        var run = new TapRun("prod-tap", Engine.SGLANG, EngineFixtures.config(), sink, CLOCK);

        RunLifecycle started = sink.runs.get(0);
        assertThat(started.runId()).isEqualTo(run.runId());
        assertThat(started.status()).isEqualTo(RunStatus.STARTED);
        assertThat(started.runName()).isEqualTo("prod-tap");
        assertThat(started.source()).isEqualTo("tap:sglang");
        assertThat(started.timestampMicros()).isEqualTo(1_780_000_000_000_000L);
        assertThat(started.model().name()).isEqualTo("tiny-deepseek-v3");
        assertThat(started.model().numLayers()).isEqualTo(3);
        assertThat(started.model().moeLayers()).containsExactly(1, 2);
        assertThat(started.model().numExperts()).isEqualTo(8);
        assertThat(started.model().topK()).isEqualTo(2);
    }

    @Test
    void closingFinishesTheRunWithTheTokensSentAndClosesTheSink() {
        var run = new TapRun("prod-tap", Engine.VLLM, EngineFixtures.config(), sink, CLOCK);
        recordOneCompletion(run);

        run.close();

        RunLifecycle finished = sink.runs.get(1);
        assertThat(finished.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(finished.tokens()).isEqualTo(4);
        assertThat(sink.tokens).hasSize(4);
        assertThat(sink.closed()).isTrue();
        assertThat(run.metrics().responses(Outcome.CAPTURED)).isEqualTo(1);
    }

    @Test
    void theStartedEventCarriesNoResponseCounts() {
        new TapRun("prod-tap", Engine.VLLM, EngineFixtures.config(), sink, CLOCK);

        assertThat(sink.runs.get(0).responses()).isNull();
    }

    @Test
    void progressRepeatsTheStartedEventWithItsStartTimeTheTokensAndTheCountsSoFar() {
        var run = new TapRun("prod-tap", Engine.VLLM, EngineFixtures.config(), sink, CLOCK);
        recordOneCompletion(run);
        run.count(Outcome.PASSED_THROUGH);

        run.reportProgress();

        RunLifecycle progress = sink.runs.get(1);
        assertThat(List.of(progress.status(), progress.timestampMicros(), progress.tokens()))
                .containsExactly(RunStatus.STARTED, 1_780_000_000_000_000L, 4L);
        assertThat(progress.responses()).containsExactly(Map.entry("captured", 1L), Map.entry("passed_through", 1L),
                Map.entry("decode_failed", 0L), Map.entry("too_large", 0L), Map.entry("upstream_error", 0L),
                Map.entry("not_recorded", 0L));
    }

    @Test
    void theFinishedEventCarriesEveryOutcomeWithItsCountInTheOutcomesOrder() {
        var run = new TapRun("prod-tap", Engine.VLLM, EngineFixtures.config(), sink, CLOCK);
        recordOneCompletion(run);
        run.count(Outcome.PASSED_THROUGH);
        run.count(Outcome.PASSED_THROUGH);
        run.count(Outcome.UPSTREAM_ERROR);
        run.count(Outcome.TOO_LARGE, "body above --max-response-bytes");
        run.dropped("the tap's recording is behind");

        run.close();

        assertThat(sink.runs.get(1).responses()).containsExactly(Map.entry("captured", 1L),
                Map.entry("passed_through", 2L), Map.entry("decode_failed", 0L), Map.entry("too_large", 1L),
                Map.entry("upstream_error", 1L), Map.entry("not_recorded", 1L));
    }

    @Test
    void aSinkThatFailedForGoodStopsTheRecordingAndNeverTheTap() {
        var broken = new AtomicBoolean();
        var triedWhileBroken = new AtomicInteger();
        var failing = new RecordingSink() {
            @Override
            public void token(TokenRouting token) {
                if (broken.get()) {
                    triedWhileBroken.incrementAndGet();
                    throw new IllegalStateException("sending routing events to Kafka at kafka:9092 failed: The "
                            + "request included a message larger than the max message size the server will accept.");
                }
                super.token(token);
            }

            @Override
            public void runStarted(RunLifecycle lifecycle) {
                if (broken.get()) {
                    throw new IllegalStateException("sending routing events to Kafka at kafka:9092 failed");
                }
                super.runStarted(lifecycle);
            }
        };
        var run = new TapRun("prod-tap", Engine.VLLM, EngineFixtures.config(), failing, CLOCK);
        recordOneCompletion(run);
        broken.set(true);
        recordOneCompletion(run);
        recordOneCompletion(run);

        run.reportProgress();

        assertThat(triedWhileBroken).hasValue(1);
        assertThat(run.tokens()).isEqualTo(4);
        assertThat(run.responses()).containsExactly(Map.entry("captured", 1L), Map.entry("passed_through", 0L),
                Map.entry("decode_failed", 0L), Map.entry("too_large", 0L), Map.entry("upstream_error", 0L),
                Map.entry("not_recorded", 2L));
        assertThat(failing.runs).hasSize(1);
    }

    /** A vLLM completion of 4 positions, captured and recorded. */
    private static void recordOneCompletion(TapRun run) {
        run.record(new RoutingCapture(Engine.VLLM, EngineFixtures.config()).capture(
                TapRequest.of("/v1/completions", new byte[0], false),
                EngineFixtures.VLLM_COMPLETION.getBytes(StandardCharsets.UTF_8), run.nowMicros()));
    }
}
