package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.RunLifecycle;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * llama.cpp's moe-trace CSV in the tool's shape: the header {@code layer,expert}, then one row per routed choice,
 * every MoE layer of every evaluated micro-batch in order. The contract's trace is three decode steps of a top-2
 * model with two MoE layers, one token each.
 */
class LlamaCppMoeTraceImporterTest extends TraceImporterContract {

    private static final ImportOptions TOP_2 = ImportOptions.defaults()
            .withHints(new ModelHints(null, null, null, null, 2, null));

    @Override
    TraceImporter importer() {
        return new LlamaCppMoeTraceImporter();
    }

    @Override
    ImportOptions options() {
        return TOP_2;
    }

    @Override
    List<String> trace() {
        return List.of("layer,expert",
                "0,5", "0,1", "1,7", "1,2",
                "0,0", "0,3", "1,4", "1,6",
                "0,1", "0,2", "1,5", "1,6");
    }

    @Override
    List<String> expectedTokens() {
        return List.of(
                "step#0 UNKNOWN 1 token(s) 0:[0, 1, 0, 0, 0, 1, 0, 0] 1:[0, 0, 1, 0, 0, 0, 0, 1]",
                "step#1 UNKNOWN 1 token(s) 0:[1, 0, 0, 1, 0, 0, 0, 0] 1:[0, 0, 0, 0, 1, 0, 1, 0]",
                "step#2 UNKNOWN 1 token(s) 0:[0, 1, 1, 0, 0, 0, 0, 0] 1:[0, 0, 0, 0, 0, 1, 1, 0]");
    }

    /** A line is one choice: a step rejected whole for its sums is one rejection of many lines. */
    @Override
    OptionalLong rowsImported(ImportReport report) {
        return OptionalLong.empty();
    }

    @Test
    void aPassOfSeveralTokensIsOneStepOfTheirChoicesOverK() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(List.of("layer,expert",
                "0,1", "0,2", "0,1", "0,3", "0,0", "0,1", "1,4", "1,5", "1,4", "1,6", "1,7", "1,4"), sink);
        assertThat(sink.described()).containsExactly(
                "step#0 UNKNOWN 3 token(s) 0:[1, 3, 1, 1, 0, 0, 0, 0] 1:[0, 0, 0, 0, 3, 1, 1, 1]");
        assertThat(report.stepsImported()).isEqualTo(1);
        assertThat(report.tokensImported()).isEqualTo(3);
        assertThat(report.decisionsImported()).isEqualTo(6);
    }

    @Test
    void aRepeatedHeaderOfConcatenatedTracesStartsAStep() throws IOException {
        var sink = new CollectingSink();
        importLines(List.of("layer,expert", "0,1", "0,2", "layer,expert", "0,3", "0,4"), sink);
        assertThat(sink.countSteps).extracting(s -> s.step() + ":" + s.tokens()).containsExactly("0:1", "1:1");
    }

    @Test
    void theRunSaysWhyItsRequestsCannotBeToldApartSoSequenceMetricsAreUndefined() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(trace(), sink);
        assertThat(report.requestsNotSeparable()).contains(LlamaCppMoeTraceImporter.NOT_SEPARABLE);
        assertThat(sink.runs).extracting(RunLifecycle::requestsNotSeparable)
                .containsOnly(LlamaCppMoeTraceImporter.NOT_SEPARABLE);
        assertThat(report.notes()).contains("3 forward passes told apart where the layer index starts over");
    }

    @Test
    void aStepWhoseLayersCountDifferentTokensIsRejectedByItsLastLineAndTheOthersKept() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(List.of("layer,expert",
                "0,1", "0,2", "1,3", "1,4",
                "0,1", "0,2", "1,3"), sink);
        assertThat(sink.countSteps).extracting(s -> s.step()).containsExactly(0L);
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::line, ImportReport.Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(8L, "step 1 layer 1: the counts sum to 1, not"
                        + " 1 tokens x top-2"));
    }

    @Test
    void anExpertIdNoRowCouldHoldIsRejectedByItsLineBeforeAnythingIsSizedByIt() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(List.of("layer,expert", "0,1", "0,999999999", "0,2"), sink);
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::line, ImportReport.Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "expert id 999999999 is outside 0..32767"));
        assertThat(sink.described()).containsExactly("step#0 UNKNOWN 1 token(s) 0:[0, 1, 1]");
    }

    @Test
    void withoutTopKTheImportIsRefusedNamingTheOptions() throws IOException {
        var file = write("trace", trace());
        assertThatThrownBy(() -> new TraceImport(CLOCK).importFile(file, ImportOptions.defaults(),
                new CollectingSink(), rows -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace: the trace counts choices without recording tokens, so top-k cannot be derived"
                        + " from it; give --top-k, --model-config or a known --model-id");
    }

    @Test
    void theNumberOfExpertsIsTheLargestIdSeenPlusOneAndSaidSo() throws IOException {
        ImportReport report = importLines(trace(), new CollectingSink());
        assertThat(report.model().numExperts()).isEqualTo(8);
        assertThat(report.notes()).anyMatch(n -> n.startsWith("number of experts N=8 derived from the largest"));
    }
}
