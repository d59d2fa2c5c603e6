package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteLogImporterTest extends TraceImporterContract {

    static final String META = "{\"type\":\"meta\",\"model_id\":\"Qwen/Qwen1.5-MoE-A2.7B-Chat\",\"layers_logged\":[0],"
            + "\"top_k\":4}";

    @Override
    TraceImporter importer() {
        return new RouteLogImporter();
    }

    @Override
    List<String> trace() {
        return List.of(META, route(0, "[12,40,3,7]"), route(1, "[1,2,3,4]"), route(0, "[5,6,7,8]"),
                route(0, "[59,0,1,2]"));
    }

    @Override
    List<String> expectedTokens() {
        return List.of("r1#0 PREFILL 0:[12, 40, 3, 7]", "r1#1 PREFILL 0:[1, 2, 3, 4]", "r1#2 DECODE 0:[5, 6, 7, 8]",
                "r1#3 DECODE 0:[59, 0, 1, 2]");
    }

    @Test
    void takesTheModelShapeFromTheMetadataLineAndKnownModels() throws IOException {
        var sink = new CollectingSink();
        importLines(trace(), sink);
        var model = sink.runs.get(0).model();
        assertThat(model.name()).isEqualTo("Qwen/Qwen1.5-MoE-A2.7B-Chat");
        assertThat(model.architecture()).isEqualTo("Qwen2MoeForCausalLM");
        assertThat(model.numExperts()).isEqualTo(60);
        assertThat(model.topK()).isEqualTo(4);
        assertThat(model.moeLayers()).containsExactly(0);
    }

    @Test
    void detectsLeadingIdenticalDecisionsAsWarmupAndLeavesThemOutByDefault() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(withWarmup(1200), sink);
        assertThat(report.warmupTokens()).isEqualTo(1200);
        assertThat(sink.tokens).hasSize(2);
        assertThat(sink.described()).containsExactly("r1#1200 DECODE 0:[5, 6, 7, 8]",
                "r1#1201 DECODE 0:[9, 6, 7, 8]");
    }

    @Test
    void sendsWarmupMarkedUnderItsOwnRequestWhenAskedTo() throws IOException {
        var sink = new CollectingSink();
        new TraceImport(CLOCK).importFile(write("w", withWarmup(1200)),
                ImportOptions.defaults().withWarmup(true, 1000), sink, rows -> { });
        assertThat(sink.tokens).hasSize(1202);
        assertThat(sink.tokens.stream().filter(t -> t.requestId().equals("warmup/r1"))).hasSize(1200);
    }

    @Test
    void keepsAShortRunOfIdenticalDecisionsAsRealRouting() throws IOException {
        ImportReport report = importLines(withWarmup(10), new CollectingSink());
        assertThat(report.warmupTokens()).isZero();
        assertThat(report.tokensImported()).isEqualTo(12);
    }

    @Test
    void dropsExpertIdsOfNOrMoreAsNotRoutedAndRejectsTheRowThatLosesAChoice() throws IOException {
        ImportReport report = importLines(List.of(META, route(0, "[12,40,3,7]"), route(1, "[1,2,3,255]")),
                new CollectingSink());
        assertThat(report.notRoutedIds()).isEqualTo(1);
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::reason)
                .containsExactly("layer 0: 3 expert ids but the model routes to top-4");
    }

    private static List<String> withWarmup(int identical) {
        List<String> lines = new ArrayList<>(List.of(META));
        for (int i = 0; i < identical; i++) {
            lines.add(route(i, "[1,2,3,4]"));
        }
        lines.add(route(0, "[5,6,7,8]"));
        lines.add(route(0, "[9,6,7,8]"));
        return lines;
    }

    static String route(int token, String ids) {
        return "{\"type\":\"route\",\"req_id\":\"r1\",\"token_idx\":" + token + ",\"layer\":0,\"topk_ids\":" + ids
                + ",\"topk_weights\":[0.31,0.12,0.09,0.05]}";
    }
}
