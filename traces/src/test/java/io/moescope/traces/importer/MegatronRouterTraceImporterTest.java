package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Megatron-Core router traces in the shape of {@code router_trace_rank{r}.jsonl} (one line per step, micro-batch
 * and layer; see docs/trace-formats.md).
 */
class MegatronRouterTraceImporterTest extends TraceImporterContract {

    @Override
    TraceImporter importer() {
        return new MegatronRouterTraceImporter();
    }

    @Override
    List<String> trace() {
        return List.of(
                line(0, "decoder", 0, "[[5,1],[0,3]]"), line(0, "decoder", 1, "[[7,2],[4,6]]"),
                line(1, "decoder", 0, "[[1,2],[3,4]]"), line(1, "decoder", 1, "[[5,6],[7,0]]"));
    }

    @Override
    List<String> expectedTokens() {
        return List.of(
                "rank0/step0/train/mb0#0 PREFILL 0:[5, 1] 1:[7, 2]", "rank0/step0/train/mb0#1 PREFILL 0:[0, 3] 1:[4, 6]",
                "rank0/step1/train/mb0#0 PREFILL 0:[1, 2] 1:[5, 6]", "rank0/step1/train/mb0#1 PREFILL 0:[3, 4] 1:[7, 0]");
    }

    /** A line holds one layer of many tokens: lines read are not decisions. */
    @Override
    OptionalLong rowsImported(ImportReport report) {
        return OptionalLong.empty();
    }

    @Test
    void theSecondLineOfAStepAndLayerIsTheNextMicroBatch() throws IOException {
        var sink = new CollectingSink();
        importLines(List.of(
                line(4, "decoder", 0, "[[5,1]]"), line(4, "decoder", 1, "[[7,2]]"),
                line(4, "decoder", 0, "[[0,3]]"), line(4, "decoder", 1, "[[4,6]]")), sink);
        assertThat(sink.described()).containsExactly(
                "rank0/step4/train/mb0#0 PREFILL 0:[5, 1] 1:[7, 2]", "rank0/step4/train/mb1#0 PREFILL 0:[0, 3] 1:[4, 6]");
    }

    @Test
    void linesOfTheMultiTokenPredictionBlockAreLeftOutAndCountedInANote() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(List.of(
                line(0, "decoder", 0, "[[5,1]]"), line(0, "decoder", 1, "[[7,2]]"), line(0, "mtp", 0, "[[3,4]]")),
                sink);
        assertThat(sink.described()).containsExactly("rank0/step0/train/mb0#0 PREFILL 0:[5, 1] 1:[7, 2]");
        assertThat(report.rowsRead()).isEqualTo(2);
        assertThat(report.notes()).contains("1 lines of the multi-token-prediction block (\"block\": \"mtp\") were "
                + "left out: their routers are not decoder layers");
    }

    @Test
    void theRunsRequestsAreNotSeparable() throws IOException {
        ImportReport report = importLines(trace(), new CollectingSink());
        assertThat(report.requestsNotSeparable()).contains(MegatronRouterTraceImporter.NOT_SEPARABLE);
    }

    @Test
    void aTokenCountOtherThanTheIndicesHeldIsRejectedNamingBoth() throws IOException {
        ImportReport report = importLines(List.of(line(0, "decoder", 0, "[[5,1]]"),
                line(0, "decoder", 1, "[[7,2]]").replace("\"num_tokens\":1", "\"num_tokens\":2")), new CollectingSink());
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::line, ImportReport.Rejection::reason)
                .containsExactly(tuple(2L, "\"num_tokens\" is 2 but \"top_indices\" holds 1 tokens"));
    }

    @Test
    void aTokenWithOtherThanTopKIdsRejectsItsWholeLine() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(List.of(line(0, "decoder", 0, "[[5,1],[0,3]]"),
                line(0, "decoder", 1, "[[7,2],[4]]")), sink);
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::line, ImportReport.Rejection::reason)
                .containsExactly(tuple(2L, "\"top_indices\"[1] holds 1 ids but \"topk\" is 2"));
        assertThat(sink.described()).containsExactly("rank0/step0/train/mb0#0 PREFILL 0:[5, 1]",
                "rank0/step0/train/mb0#1 PREFILL 0:[0, 3]");
    }

    @Test
    void aBlockOtherThanDecoderOrMtpIsRejectedNamingIt() throws IOException {
        ImportReport report = importLines(List.of(line(0, "decoder", 0, "[[5,1]]"), line(0, "encoder", 0, "[[7,2]]")),
                new CollectingSink());
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::reason)
                .containsExactly("\"block\" is 'encoder', expected decoder or mtp");
    }

    static String line(int step, String block, int layer, String topIndices) {
        long tokens = topIndices.chars().filter(c -> c == '[').count() - 1;
        return "{\"step\":" + step + ",\"stage\":\"train\",\"block\":\"" + block + "\",\"layer\":" + layer
                + ",\"rank\":0,\"num_tokens\":" + tokens + ",\"topk\":2,\"top_indices\":" + topIndices + "}";
    }
}
