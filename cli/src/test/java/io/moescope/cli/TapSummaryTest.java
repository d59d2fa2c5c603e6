package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.capture.TapRequest;
import io.moescope.tap.run.TapRun;
import io.moescope.traces.RecordingSink;
import io.moescope.traces.engine.EngineFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The line a tap prints when it stops: this run's tokens count as recorded once Kafka acknowledged them; an earlier
 * run's events that the spool file held are told apart.
 */
class TapSummaryTest {

    private final TapRun run = new TapRun("prod-tap", Engine.VLLM, EngineFixtures.config(), new RecordingSink(),
            Clock.systemUTC());

    @Test
    void everyTokenSentAndAcknowledgedIsRecorded() {
        recordOneCompletion();

        assertThat(TapCommand.summary(run, 4, 0, 0)).isEqualTo("tap run " + run.runId() + " finished: 1 responses"
                + " captured, 0 passed through, 0 with routing not decoded, 0 too large to decode, 0 engine errors;"
                + " 4 tokens recorded");
    }

    @Test
    void afterAKafkaFailureOnlyTheAcknowledgedTokensAreRecordedAndTheOthersAreToldApart() {
        recordOneCompletion();

        assertThat(TapCommand.summary(run, 1, 2, 0)).isEqualTo("tap run " + run.runId() + " finished: 1 responses"
                + " captured, 0 passed through, 0 with routing not decoded, 0 too large to decode, 0 engine errors;"
                + " 1 tokens recorded (acknowledged by Kafka) of 4 sent: 2 handed to Kafka without its"
                + " acknowledgement (stored or not, Kafka cannot tell), 1 never reached it");
    }

    @Test
    void theEventsOfAnEarlierRunTheSpoolFileReplayedAreToldApartFromThisRunsTokens() {
        recordOneCompletion();

        assertThat(TapCommand.summary(run, 4, 0, 29)).isEqualTo("tap run " + run.runId() + " finished: 1 responses"
                + " captured, 0 passed through, 0 with routing not decoded, 0 too large to decode, 0 engine errors;"
                + " 4 tokens recorded; 29 events of an earlier run replayed from the spool file (acknowledged by"
                + " Kafka)");
    }

    /** A vLLM completion of 4 positions, captured and handed to the sink. */
    private void recordOneCompletion() {
        run.record(new RoutingCapture(Engine.VLLM, EngineFixtures.config()).capture(
                TapRequest.of("/v1/completions", new byte[0], false),
                EngineFixtures.VLLM_COMPLETION.getBytes(StandardCharsets.UTF_8), run.nowMicros()));
    }
}
