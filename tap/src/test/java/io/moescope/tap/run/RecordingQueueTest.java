package io.moescope.tap.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.tap.ConcurrentSink;
import io.moescope.tap.capture.Capture;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.capture.TapRequest;
import io.moescope.traces.RoutingSink;
import io.moescope.traces.engine.EngineFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordingQueueTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final ConcurrentSink sink = new ConcurrentSink();
    /** Holds the recording thread at its first token until {@link #release} opens. */
    private final RoutingSink held = new RoutingSink() {
        @Override
        public void runStarted(RunLifecycle run) {
            sink.runStarted(run);
        }

        @Override
        public void token(TokenRouting token) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.token(token);
        }

        @Override
        public void runFinished(RunLifecycle run) {
            sink.runFinished(run);
        }

        @Override
        public void close() {
            sink.close();
        }
    };
    private final TapRun run = new TapRun("queue", Engine.VLLM, EngineFixtures.config(), held, Clock.systemUTC());
    private final Capture completion = completion(run);

    @Test
    void aResponseIsRecordedOnTheQueuesThreadNotTheCallers() {
        release.countDown();
        try (var queue = new RecordingQueue(run, 1, 1 << 20)) {
            queue.submit(completion);

            await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.CAPTURED) == 1);
            assertThat(sink.tokensNow()).hasSize(4);
            assertThat(queue.pending()).isZero();
        }
    }

    @Test
    void aResponseThatWouldPassTheBoundIsDroppedAndCountedWithoutWaiting() {
        try (var queue = new RecordingQueue(run, 1, completion.heldBytes())) {
            queue.submit(completion);
            queue.submit(completion);

            assertThat(run.metrics().responses(Outcome.NOT_RECORDED)).isEqualTo(1);
            assertThat(queue.pending()).isEqualTo(1);
            release.countDown();
        }
        assertThat(sink.tokensNow()).hasSize(4);
        assertThat(run.metrics().responses(Outcome.CAPTURED)).isEqualTo(1);
    }

    @Test
    void aResponseLargerThanTheBoundIsTakenWhenNothingElseWaits() {
        release.countDown();
        try (var queue = new RecordingQueue(run, 1, 1)) {
            queue.submit(completion);
        }
        assertThat(sink.tokensNow()).hasSize(4);
        assertThat(run.metrics().responses(Outcome.NOT_RECORDED)).isZero();
    }

    @Test
    void closingRecordsEverythingTakenFirst() {
        release.countDown();
        try (var queue = new RecordingQueue(run, 2, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                queue.submit(completion);
            }
        }
        assertThat(sink.tokensNow()).hasSize(20);
        assertThat(run.metrics().responses(Outcome.CAPTURED)).isEqualTo(5);
    }

    /** A vLLM completion of 4 positions of a 2-MoE-layer top-2 model, captured. */
    private static Capture completion(TapRun run) {
        return new RoutingCapture(Engine.VLLM, EngineFixtures.config()).capture(
                TapRequest.of("/v1/completions", new byte[0], false),
                EngineFixtures.VLLM_COMPLETION.getBytes(StandardCharsets.UTF_8), run.nowMicros());
    }
}
