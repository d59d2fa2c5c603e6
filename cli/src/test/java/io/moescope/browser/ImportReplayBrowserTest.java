package io.moescope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The Import & Replay view in a real browser: upload a trace and read its summary; start and cancel a replay. */
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.ui.refresh-interval=300ms"})
class ImportReplayBrowserTest extends BrowserTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void anUploadedTraceIsImportedAndTheSummaryNamesTheRejectedLine() throws Exception {
        Path dir = Files.createTempDirectory("moescope-upload-test");
        Path trace = dir.resolve("vllm-hook.jsonl");
        // 3 tokens x 2 layers, top-2 of 8; line 4 is broken.
        Files.writeString(trace, String.join("\n",
                row(0, 0, 1, 2), row(0, 1, 3, 4), row(1, 0, 5, 6), "{\"layer\": oops", row(1, 1, 7, 0),
                row(2, 0, 1, 3), row(2, 1, 2, 4)) + "\n");
        var page = new ImportReplayPage(browser).open().upload(trace);

        String summary = page.awaitSummary(Duration.ofSeconds(60));
        browser.screenshot("import-summary");

        assertThat(summary).contains("rows read 7, rejected 1; imported 3 tokens (6 decisions)")
                .contains("gaps: 0 missing (token, layer) rows")
                .contains("warm-up artefacts: 0 tokens (0 decisions)")
                .contains("  rejected vllm-hook.jsonl:4: not JSON: ");
        assertThat(page.importStatus()).startsWith("vllm-hook.jsonl: imported, 7 rows at ");
    }

    /** llama.cpp's moe-trace counts choices without tokens: its top-k comes from the form, as from --top-k. */
    @Test
    void aCountsOnlyTraceIsImportedWithTheTopKGivenInTheForm() throws Exception {
        Path dir = Files.createTempDirectory("moescope-upload-test");
        Path trace = dir.resolve("moe-trace.csv");
        // two forward passes of 2 layers, top-2: the layer index starting over begins the second
        Files.writeString(trace, "layer,expert\n0,1\n0,2\n1,3\n1,4\n0,5\n0,6\n1,7\n1,0\n");
        var page = new ImportReplayPage(browser).open().topK(2).upload(trace);

        String summary = page.awaitSummary(Duration.ofSeconds(60));

        assertThat(summary).contains("aggregate-only: 2 steps of expert counts");
        assertThat(page.importStatus()).startsWith("moe-trace.csv: imported");
    }

    @Test
    void aSlowReplayShowsProgressUntilItIsCancelled() {
        storeRunWithTokensTenSecondsApart("spaced", "spaced-run", 3);
        var page = new ImportReplayPage(browser).open();

        page.startReplay("spaced-run", 0.1);
        // The first token goes at once; the second is due 100 s later, so the replay is still running.
        assertThat(page.awaitReplayStatus("RUNNING, 1 of 3 tokens sent", Duration.ofSeconds(30))).startsWith("replay ");
        assertThat(page.replayProgressShown()).isTrue();
        browser.screenshot("replay-running");

        page.cancelReplay();

        assertThat(page.awaitReplayStatus("CANCELLED", Duration.ofSeconds(30))).contains("CANCELLED, 1 of 3 tokens");
        assertThat(page.replayProgressShown()).isFalse();
        browser.screenshot("replay-cancelled");
    }

    private static String row(int token, int layer, int first, int second) {
        return "{\"dataset\":\"ui\",\"problem_id\":0,\"layer\":" + layer + ",\"token_idx\":" + token
                + ",\"experts\":[" + first + "," + second + "],\"gating_probs\":[0.75,0.25]}";
    }

    private void storeRunWithTokensTenSecondsApart(String runId, String name, int tokens) {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        jdbc.update("INSERT INTO run (run_id, name, source, status, model_name, architecture, num_experts, top_k,"
                + " num_layers, moe_layers, total_parameters, active_parameters, started_at, finished_at,"
                + " tokens_reported) VALUES (?, ?, 'probe', 'FINISHED', 'test', 'MixtralForCausalLM', 4, 1, 1, '{0}',"
                + " 1, 1, ?, ?, ?)", runId, name, Timestamp.from(t0), Timestamp.from(t0.plusSeconds(60)), tokens);
        for (int t = 0; t < tokens; t++) {
            jdbc.update("INSERT INTO token_routing_named (run_id, request_id, token_index, token_id, phase, routed_at,"
                    + " routing) VALUES (?, 'q1', ?, 100, 1, ?, moescope_routing_pack('{0}', ?::smallint[],"
                    + " moescope_fp16_array('{1.0}'::real[]), '{NULL}'))", runId, t,
                    Timestamp.from(t0.plusSeconds(10L * t)), "{" + (t % 4) + "}");
        }
        jdbc.update("INSERT INTO run_volume VALUES (?, ?, ?, ?, ?)", runId, tokens, tokens, Timestamp.from(t0),
                Timestamp.from(t0.plusSeconds(10L * (tokens - 1))));
    }
}
