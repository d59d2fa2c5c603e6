package io.moescope.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.platform.runs.RunSummary;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTextTest {

    private static RunSummary run(String status, int numLayers, long tokensReported, long tokens) {
        return new RunSummary("r1", "", "demo", status, "Mixtral-8x7B", "mixtral", 8, 2, numLayers, 32,
                46_700_000_000L, 12_900_000_000L, Instant.EPOCH, null, tokensReported, tokens, tokens * 32, null, null,
                null);
    }

    @Test
    void describesTheRoutingShape() {
        assertThat(RunText.shape(run("STARTED", 32, 0, 0))).isEqualTo("mixtral, 8 experts, top-2, 32 MoE layers");
        assertThat(RunText.shape(run("STARTED", 61, 0, 0))).endsWith("32 MoE layers of 61");
        assertThat(RunText.parameters(run("STARTED", 32, 0, 0))).isEqualTo("46.7B parameters, 12.9B active per token");
    }

    @Test
    void fallsBackToTheIdWhenTheRunHasNoName() {
        assertThat(RunText.name(run("STARTED", 32, 0, 0))).isEqualTo("r1");
    }

    @Test
    void aFinishedRunIsStillArrivingUntilEveryReportedTokenIsStored() {
        assertThat(RunText.isArriving(run("STARTED", 32, 0, 10))).isTrue();
        assertThat(RunText.isArriving(run("FINISHED", 32, 100, 90))).isTrue();
        assertThat(RunText.isArriving(run("FINISHED", 32, 100, 100))).isFalse();
        assertThat(RunText.status(run("FINISHED", 32, 100, 100))).isEqualTo("finished");
    }

    private static RunSummary timed(String status, Instant finishedAt, Instant lastRoutedAt) {
        return new RunSummary("r1", "", "probe", status, "m", "mixtral", 8, 2, 4, 4, 0, 0, Instant.EPOCH, finishedAt,
                10L, 10, 40, lastRoutedAt, null, null);
    }

    @Test
    void aFinishedRunLastsFromStartToFinish() {
        assertThat(RunText.duration(timed("FINISHED", Instant.ofEpochSecond(192), Instant.ofEpochSecond(5))))
                .isEqualTo("3 min 12 s");
    }

    @Test
    void aRunningRunLastsUntilItsLastStoredToken() {
        assertThat(RunText.duration(timed("STARTED", null, Instant.ofEpochSecond(45)))).isEqualTo("45 s");
        assertThat(RunText.duration(timed("STARTED", null, Instant.ofEpochSecond(7500)))).isEqualTo("2 h 05 min");
    }

    @Test
    void aRunWithNothingRoutedHasNoDuration() {
        assertThat(RunText.duration(timed("STARTED", null, null))).isEmpty();
    }

    private static RunSummary tap(String status, Map<String, Long> responses) {
        return new RunSummary("r1", "prod-tap", "tap:vllm", status, "m", "deepseek_v3", 256, 8, 61, 58, 0, 0,
                Instant.EPOCH, null, 10L, 10, 580, null, null, responses);
    }

    @Test
    void aStoppedTapRunSaysHowManyResponsesHadEachOutcome() {
        var run = tap("FINISHED", Map.of("captured", 1_200L, "passed_through", 3L, "decode_failed", 0L,
                "too_large", 0L, "upstream_error", 1L));

        assertThat(RunText.responses(run)).isEqualTo("responses: 1,200 captured, 3 passed through, 0 failed to decode,"
                + " 0 too large, 1 engine error");
    }

    @Test
    void aTapRunThatReportedNoCountsYetSaysWhenItWill() {
        assertThat(RunText.responses(tap("STARTED", null)))
                .isEqualTo("responses: none reported yet (a live tap reports them every 10 s)");
    }

    @Test
    void aRunThatIsNotATapSaysNothingOfResponses() {
        assertThat(RunText.responses(run("FINISHED", 32, 100, 100))).isEmpty();
    }

    @Test
    void aChooserLabelsARunByNameSourceStartAndSizeWithTheIdLast() {
        var run = new RunSummary("de05f85d", "demo", "probe", "FINISHED", "m", "mixtral", 8, 2, 4, 4, 0, 0,
                Instant.parse("2026-12-06T09:52:44Z"), null, 394L, 394, 1576, null, null, null);

        assertThat(RunText.label(run))
                .isEqualTo("demo (probe, started 2026-12-06 09:52:44 UTC, 1,576 decisions, id de05f85d)");
    }

    @Test
    void aRunWithoutASourceSaysSo() {
        var run = new RunSummary("r1", "x", null, "FINISHED", "m", "mixtral", 8, 2, 4, 4, 0, 0, Instant.EPOCH, null,
                0L, 0, 0, null, null, null);

        assertThat(RunText.source(run)).isEqualTo("unknown source");
    }
}
