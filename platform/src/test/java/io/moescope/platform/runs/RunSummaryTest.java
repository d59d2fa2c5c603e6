package io.moescope.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    /**
     * jsonb keeps no order, so the summary puts the tap's six outcomes in the tap's order; an outcome a later tap adds
     * (here {@code aborted}, which sorts before {@code not_recorded}) follows them.
     */
    @Test
    void responsesListAllSixOutcomesInTheTapsOrderAndALaterOutcomeAfterThem() {
        var responses = Map.of("aborted", 5L, "not_recorded", 4L, "upstream_error", 1L, "too_large", 0L,
                "decode_failed", 2L, "passed_through", 3L, "captured", 120L);

        var summary = tapRun(responses);

        assertThat(summary.responses().keySet()).containsExactly("captured", "passed_through", "decode_failed",
                "too_large", "upstream_error", "not_recorded", "aborted");
        assertThat(summary.responses().get("not_recorded")).isEqualTo(4L);
        assertThat(RunSummary.OUTCOMES).containsExactly("captured", "passed_through", "decode_failed", "too_large",
                "upstream_error", "not_recorded");
    }

    private static RunSummary tapRun(Map<String, Long> responses) {
        return new RunSummary("tap-1", "tap", "tap:vllm", "finished", "m", "mixtral", 8, 2, 32, 32, 1L, 1L,
                Instant.EPOCH, Instant.EPOCH, 130L, 130L, 4160L, Instant.EPOCH, null, responses);
    }
}
