package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.cli.MoescopeCli;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.tokens.TokenTexts;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.export.ExportFormat;
import io.moescope.traces.export.ExportHeader;
import io.moescope.traces.importer.ImportOptions;
import io.moescope.traces.importer.ImportReport;
import io.moescope.traces.importer.TraceImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import picocli.CommandLine;

/** {@code moescope replay}: a stored run re-streamed through Kafka as a new run, and a replay cancelled. */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class ReplayPlatformTest extends EmbeddedPlatformTest {

    private static final int TOKENS = 20;
    private static final ModelIdentity MODEL = new ModelIdentity("tiny-moe", "MixtralForCausalLM", 8, 2, 2,
            List.of(0, 1), 0, 0);

    @Autowired
    private TestRestTemplate http;
    @LocalServerPort
    private int port;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;
    @TempDir
    Path dir;

    private String runId;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private TokenTexts tokenTexts;

    @BeforeEach
    void storeARun() throws IOException {
        var out = new StringWriter();
        var writer = ExportFormat.JSONL.open(out, new ExportHeader("to-replay", MODEL, TOKENS));
        for (int t = 0; t < TOKENS; t++) {
            // 10 ms apart in the original
            writer.token(new TokenRouting("x", "req", t, -1, Phase.DECODE, 1_763_900_000_000_000L + 10_000L * t,
                    List.of(RouterDecision.withoutEntropy(0, new int[] {t % 8, (t + 1) % 8}, new float[] {0.6f, 0.4f}),
                            RouterDecision.withoutEntropy(1, new int[] {7, t % 7}, new float[] {0.5f, 0.5f}))));
        }
        writer.end();
        Path file = Files.writeString(dir.resolve("run.jsonl"), out.toString());
        ImportReport report;
        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            report = new TraceImport(Clock.systemUTC()).importFile(file, ImportOptions.defaults(), sink, n -> { });
        }
        runId = report.runId();
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(runId, "FINISHED", TOKENS));
    }

    @Test
    void replayStreamsTheStoredDecisionsAsANewRunWithSourceReplay() {
        var out = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int status = cli.execute("replay", "--run", runId, "--speed", "4", "--poll-millis", "50",
                "--server", "http://localhost:" + port);

        assertThat(status).isZero();
        assertThat(out.toString()).contains("FINISHED, " + TOKENS + " of " + TOKENS + " tokens sent to run ");
        String replayRun = out.toString().strip().replaceAll("(?s).* tokens sent to run (\\S+).*", "$1");
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(replayRun, "FINISHED", TOKENS));
        JsonNode run = http.getForObject("/api/runs/" + replayRun, JsonNode.class);
        assertThat(run.path("source").asText()).isEqualTo("replay");
        assertThat(http.getForObject("/api/runs/" + replayRun + "/metrics", JsonNode.class).path("layers"))
                .isEqualTo(http.getForObject("/api/runs/" + runId + "/metrics", JsonNode.class).path("layers"));
    }

    @Test
    void aCancelledReplayEndsItsRunAsFailedWithTheTokensSentSoFar() {
        // 10 ms apart at speed 0.00001: 1000 s between tokens, so only the first one goes out before the cancel.
        JsonNode started = http.postForObject("/api/replays?runId=" + runId + "&speed=0.00001", null,
                JsonNode.class);
        String replayId = started.path("replayId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.getForObject("/api/replays/" + replayId,
                JsonNode.class).path("tokensSent").asLong() == 1);

        http.exchange("/api/replays/" + replayId, HttpMethod.DELETE, null, JsonNode.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> "CANCELLED".equals(http.getForObject(
                "/api/replays/" + replayId, JsonNode.class).path("state").asText()));
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(started.path("runId").asText(), "FAILED", 1));
    }

    @Test
    void aReplayShowsTheTokenTextsOfItsSourceRun() {
        jdbc.update("INSERT INTO token_text (run_id, token_id, text) VALUES (?, -1, ' hi') ON CONFLICT DO NOTHING",
                runId);

        JsonNode started = http.postForObject("/api/replays?runId=" + runId + "&speed=0", null, JsonNode.class);

        assertThat(tokenTexts.of(started.path("runId").asText(), List.of(-1))).isEqualTo(Map.of(-1, " hi"));
    }

    private boolean stored(String id, String status, long tokens) {
        JsonNode run = http.getForObject("/api/runs/" + id, JsonNode.class);
        return run != null && status.equals(run.path("status").asText()) && run.path("tokens").asLong() == tokens;
    }
}
