package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.cli.MoescopeCli;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import picocli.CommandLine;

/**
 * {@code moescope replay --model}: a probe run's recorded workload run again through the demo model, end to end on
 * the embedded platform (probe -> Kafka -> ingest -> PostgreSQL -> API -> CLI).
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class ModelReplayTest extends EmbeddedPlatformTest {

    private static final int MOE_LAYERS = DemoModelSpec.defaults().numLayers();
    private static Path demo;
    private static Path prompts;

    @LocalServerPort
    private int port;
    @Value("${spring.kafka.bootstrap-servers}")
    private String kafka;
    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcTemplate jdbc;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void writeModelAndPrompts() throws Exception {
        demo = Files.createTempDirectory("moescope-replay-model");
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(demo, (done, total) -> { });
        prompts = Files.createTempFile("moescope-replay-prompts", ".jsonl");
        Files.writeString(prompts, """
                {"id": "plain", "prompt": "Which expert takes this token?"}
                {"id": "chat", "messages": [{"role": "system", "content": "Be brief."}, \
                {"role": "user", "content": "Why MoE?"}]}
                """);
    }

    @Test
    void theSameModelWithTheSameSeedRoutesEveryTokenIdentically() {
        String original = probe("sampled-original");

        assertThat(cli("replay", "--run", "sampled-original", "--model", demo.toString(), "--run-name",
                "sampled-again")).as(err.toString()).isZero();

        String again = runIdNamed("sampled-again");
        assertIdenticalRouting(original, again);
        // identical routing: no divergence and full overlap; the divergence's interval is what resampling alone gives
        assertThat(out.toString()).contains("layer  JSD(bits) [95 % interval]  top-k overlap [95 % interval]")
                .containsPattern("    0  0\\.0000 \\[0\\.0000, 0\\.\\d{4}\\] +1\\.0000 \\[1\\.0000, 1\\.0000\\]")
                .contains("dashboard: http://localhost:" + port + "/runs/" + again);
    }

    @Test
    void aDifferentExpertCacheStillRoutesEveryTokenIdentically() {
        String original = probe("cache-original");

        assertThat(cli("replay", "--run", "cache-original", "--model", demo.toString(), "--expert-cache", "2",
                "--run-name", "cache-2")).as(err.toString()).isZero();

        String cached = runIdNamed("cache-2");
        assertIdenticalRouting(original, cached);
        JsonNode workload = http.getForObject("/api/runs/" + cached + "/workload", JsonNode.class);
        assertThat(workload.path("generation").path("expertCache").asInt()).isEqualTo(2);
    }

    @Test
    void theRecordedWorkloadHasThePromptsGenerationParametersArrivalsAndModel() {
        String runId = probe("recorded");

        JsonNode workload = http.getForObject("/api/runs/" + runId + "/workload", JsonNode.class);

        assertThat(workload.path("modelSource").asText()).isEqualTo(demo.toAbsolutePath().toString());
        assertThat(workload.path("model").path("architecture").asText()).isEqualTo("MixtralForCausalLM");
        JsonNode generation = workload.path("generation");
        assertThat(generation.path("maxNewTokens").asInt()).isEqualTo(6);
        assertThat(generation.path("temperature").asDouble()).isEqualTo(0.8);
        assertThat(generation.path("topP").asDouble()).isEqualTo(0.9);
        assertThat(generation.path("seed").asLong()).isEqualTo(11);
        JsonNode requests = workload.path("requests");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).path("requestId").asText()).isEqualTo("plain");
        assertThat(requests.get(0).path("text").asText()).isEqualTo("Which expert takes this token?");
        assertThat(requests.get(1).path("messages").get(1).path("content").asText()).isEqualTo("Why MoE?");
        assertThat(requests.get(1).path("arrivalMicros").asLong())
                .isGreaterThanOrEqualTo(requests.get(0).path("arrivalMicros").asLong()).isPositive();
        // The demo tokenizer's BOS and the bytes of "Which" (byte b is id 3 + b), as JSON object keys.
        JsonNode texts = workload.path("tokenTexts");
        assertThat(List.of(texts.path("1").asText(), texts.path(String.valueOf(3 + 'W')).asText(),
                texts.path(String.valueOf(3 + ' ')).asText())).containsExactly("<s>", "W", " ");
    }

    @Test
    void aRunWithoutARecordedWorkloadIsRefusedNamingWhy() {
        jdbc.update("INSERT INTO run (run_id, name, source, status, model_name, architecture, num_experts, top_k,"
                + " num_layers, moe_layers, total_parameters, active_parameters, started_at) VALUES ('imported-1',"
                + " 'imported-trace', 'import:csv', 'FINISHED', 'm', 'MixtralForCausalLM', 8, 2, 1, '{0}', 1, 1,"
                + " now()) ON CONFLICT DO NOTHING");

        assertThat(cli("replay", "--run", "imported-trace", "--model", demo.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("moescope: run 'imported-trace' (imported-1, source import:csv)"
                + " has no recorded workload: only probe runs record their prompts and generation parameters,"
                + " imported and replayed runs cannot be run again through a model");
    }

    @Test
    void aModelDirectoryThatDoesNotExistIsRefusedBeforeAnythingRuns() {
        Path missing = demo.resolveSibling("no-such-model");

        assertThat(cli("replay", "--run", "whatever", "--model", missing.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("moescope: --model " + missing + " is not a directory (expected"
                + " an HF checkpoint directory with config.json, model.safetensors and tokenizer.json)");
    }

    /** Runs the prompts through the demo model, sampled with a seed, and waits until run and workload are stored. */
    private String probe(String name) {
        assertThat(cli("probe", "--model", demo.toString(), "--prompts", prompts.toString(), "--max-new-tokens", "6",
                "--temperature", "0.8", "--top-p", "0.9", "--seed", "11", "--run", name)).as(err.toString()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("SELECT count(*) FROM run"
                + " JOIN run_workload USING (run_id) WHERE name = ? AND status = 'FINISHED'", Long.class, name) == 1);
        return runIdNamed(name);
    }

    private void assertIdenticalRouting(String a, String b) {
        JsonNode comparison = http.getForObject("/api/compare?a=" + a + "&b=" + b, JsonNode.class);
        long tokens = jdbc.queryForObject("SELECT tokens FROM run_volume WHERE run_id = ?", Long.class, a);
        assertThat(comparison.path("tokensCompared").asLong()).isEqualTo(tokens).isPositive();
        assertThat(comparison.path("layers")).hasSize(MOE_LAYERS);
        for (JsonNode layer : comparison.path("layers")) {
            assertThat(layer.path("jsdBits").path("value").asDouble()).as("layer %s", layer).isEqualTo(0.0);
            assertThat(layer.path("topKOverlap").path("value").asDouble()).as("layer %s", layer).isEqualTo(1.0);
        }
        String routing = "SELECT request_id, token_index, token_id, moescope_routing_expert_ids(routing)::text"
                + " FROM token_routing_named WHERE run_id = ? ORDER BY request_id, token_index";
        assertThat(jdbc.queryForList(routing, b).toString()).isEqualTo(jdbc.queryForList(routing, a).toString());
    }

    private String runIdNamed(String name) {
        return jdbc.queryForObject("SELECT run_id FROM run WHERE name = ?", String.class, name);
    }

    private int cli(String... args) {
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", kafka));
        if (args[0].equals("replay")) {
            all.addAll(List.of("--server", "http://localhost:" + port));
        }
        return cli.execute(all.toArray(String[]::new));
    }
}
