package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class VllmHookImporterTest extends TraceImporterContract {

    @Override
    TraceImporter importer() {
        return new VllmHookImporter();
    }

    @Override
    List<String> trace() {
        return List.of(
                hook("token_idx", 0, 0, "[6,5]"), hook("token_idx", 0, 1, "[1,2]"),
                hook("token_idx", 1, 0, "[3,4]"), hook("token_idx", 1, 1, "[7,0]"));
    }

    @Override
    List<String> expectedTokens() {
        return List.of("humaneval/0#0 DECODE 0:[6, 5] 1:[1, 2]", "humaneval/0#1 DECODE 0:[3, 4] 1:[7, 0]");
    }

    @Override
    String otherFormatLine() {
        return "{\"type\":\"route\",\"req_id\":\"r1\",\"token_idx\":0,\"layer\":0,\"topk_ids\":[1,2]}";
    }

    @Test
    void rebuildsRequestOrderFromForwardBatchPositionsPrefillFirstThenDecodeSteps() throws IOException {
        // Prefill of 3 tokens, layer-major as the hook sees it, then two one-token decode steps.
        var sink = new CollectingSink();
        importLines(List.of(
                hook("token_pos", 0, 0, "[0,1]"), hook("token_pos", 1, 0, "[1,2]"), hook("token_pos", 2, 0, "[2,3]"),
                hook("token_pos", 0, 1, "[3,4]"), hook("token_pos", 1, 1, "[4,5]"), hook("token_pos", 2, 1, "[5,6]"),
                hook("token_pos", 0, 0, "[6,7]"), hook("token_pos", 0, 1, "[7,0]"),
                hook("token_pos", 0, 0, "[0,2]"), hook("token_pos", 0, 1, "[1,3]")), sink);
        assertThat(sink.described()).containsExactly(
                "humaneval/0#0 PREFILL 0:[0, 1] 1:[3, 4]",
                "humaneval/0#1 PREFILL 0:[1, 2] 1:[4, 5]",
                "humaneval/0#2 PREFILL 0:[2, 3] 1:[5, 6]",
                "humaneval/0#3 DECODE 0:[6, 7] 1:[7, 0]",
                "humaneval/0#4 DECODE 0:[0, 2] 1:[1, 3]");
    }

    @Test
    void aDumpOfOneRequestWhoseForwardBatchPositionsNeverRestartIsStoredWithPhaseUnknownAndSaysWhy()
            throws IOException {
        // One pass of 3 positions and nothing after it: one prefill, or positions counted across passes.
        var sink = new CollectingSink();
        ImportReport report = importLines(List.of(
                hook("token_pos", 0, 0, "[0,1]"), hook("token_pos", 1, 0, "[1,2]"), hook("token_pos", 2, 0, "[2,3]"),
                hook("token_pos", 0, 1, "[3,4]"), hook("token_pos", 1, 1, "[4,5]"), hook("token_pos", 2, 1, "[5,6]")),
                sink);
        assertThat(sink.described()).containsExactly(
                "humaneval/0#0 UNKNOWN 0:[0, 1] 1:[3, 4]",
                "humaneval/0#1 UNKNOWN 0:[1, 2] 1:[4, 5]",
                "humaneval/0#2 UNKNOWN 0:[2, 3] 1:[5, 6]");
        assertThat(report.requestsNotSeparable()).contains("requests in stream 'humaneval/0': token_pos never"
                + " restarts over its 3 positions, so the log is either one prompt's prefill or counts positions"
                + " across forward passes; which tokens are prefill and which decode, and which belong to the same"
                + " prompt, cannot be told: its tokens are stored with phase unknown, and sequence metrics (routing"
                + " consistency, compare's overlap, warm-up per request) do not describe real sequences");
    }

    @Test
    void countsMissingLayerRowsAndMissingTokensAsGaps() throws IOException {
        // Token 1 lacks layer 1; token 2 is missing altogether: 1 + 2 missing (token, layer) rows.
        var sink = new CollectingSink();
        ImportReport report = importLines(List.of(
                hook("token_idx", 0, 0, "[6,5]"), hook("token_idx", 0, 1, "[1,2]"),
                hook("token_idx", 1, 0, "[3,4]"),
                hook("token_idx", 3, 0, "[3,4]"), hook("token_idx", 3, 1, "[7,0]")), sink);
        assertThat(report.gaps()).isEqualTo(3);
        assertThat(sink.described()).containsExactly("humaneval/0#0 DECODE 0:[6, 5] 1:[1, 2]",
                "humaneval/0#1 DECODE 0:[3, 4]", "humaneval/0#3 DECODE 0:[3, 4] 1:[7, 0]");
    }

    @Test
    void rejectsASecondRowForTheSameTokenAndLayer() throws IOException {
        ImportReport report = importLines(List.of(hook("token_idx", 0, 0, "[6,5]"), hook("token_idx", 0, 0, "[6,5]"),
                hook("token_idx", 0, 1, "[1,2]")), new CollectingSink());
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::line, ImportReport.Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L,
                        "duplicate row for request humaneval/0, token 0, layer 0"));
    }

    static String hook(String position, int token, int layer, String experts) {
        return "{\"dataset\":\"humaneval\",\"problem_id\":0,\"layer\":" + layer + ",\"" + position + "\":" + token
                + ",\"experts\":" + experts + ",\"gating_probs\":[0.6,0.4]}";
    }
}
