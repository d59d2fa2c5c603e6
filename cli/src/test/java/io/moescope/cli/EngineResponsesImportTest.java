package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.traces.engine.EngineFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Saved vLLM and SGLang responses imported with the model's config.json through the real broker into PostgreSQL:
 * what the export reads back is every position of every request at the two MoE layers, the dense layer 0 dropped.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class EngineResponsesImportTest extends EmbeddedPlatformTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private TestRestTemplate http;
    @LocalServerPort
    private int port;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;
    @TempDir
    Path dir;

    @Test
    void storesEachPositionWithItsPhaseTokenIdAndTheMoeLayersOfTheConfig() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), EngineFixtures.CONFIG);
        Path responses = Files.write(dir.resolve("responses.jsonl"), List.of(EngineFixtures.VLLM_COMPLETION,
                EngineFixtures.VLLM_CHAT, EngineFixtures.SGLANG_GENERATE));

        int imported = MoescopeCli.commandLine().execute("import", "--model-config", config.toString(), "--run",
                "engine-responses", "--bootstrap-servers", bootstrapServers, responses.toString());

        assertThat(imported).isZero();
        await().atMost(Duration.ofSeconds(60)).until(this::stored);
        Path out = dir.resolve("export.jsonl");
        assertThat(MoescopeCli.commandLine().execute("export", "--run", "engine-responses", "--format", "jsonl",
                "--server", "http://localhost:" + port, "--out", out.toString())).isZero();
        List<String> lines = Files.readAllLines(out);
        JsonNode model = JSON.readTree(lines.get(0)).path("model");
        assertThat(model.path("name").asText()).isEqualTo("tiny-deepseek-v3");
        assertThat(model.path("numLayers").asInt()).isEqualTo(3);
        assertThat(model.path("moeLayers").toString()).isEqualTo("[1,2]");
        // the config's parameter counts (EngineResponsesImporterTest works them out) are stored with the run
        assertThat(model.path("totalParameters").asLong()).isEqualTo(191_744);
        assertThat(model.path("activeParameters").asLong()).isEqualTo(118_016);
        assertThat(ExportedTokens.described(lines.subList(1, lines.size() - 1))).containsExactly(
                "chatcmpl-2#1 prefill 112 1:[3,5] 2:[6,1]",
                "chatcmpl-2#2 decode 211 1:[7,2] 2:[2,7]",
                "chatcmpl-2#3 decode 212 1:[1,3] 2:[5,4]",
                "cmpl-1#0 prefill 101 1:[1,2] 2:[3,4]",
                "cmpl-1#1 prefill 102 1:[5,6] 2:[7,0]",
                "cmpl-1#2 prefill 103 1:[2,1] 2:[4,3]",
                "cmpl-1#3 decode 201 1:[6,5] 2:[0,7]",
                "sg-1#0 prefill -1 1:[4,1] 2:[2,6]",
                "sg-1#1 prefill -1 1:[3,0] 2:[1,5]",
                "sg-1#2 decode 301 1:[7,6] 2:[3,2]");
    }

    private boolean stored() {
        for (JsonNode run : http.getForObject("/api/runs?size=1000", JsonNode.class)) {
            if ("engine-responses".equals(run.path("name").asText())) {
                return "FINISHED".equals(run.path("status").asText()) && run.path("tokens").asLong() == 10;
            }
        }
        return false;
    }
}
