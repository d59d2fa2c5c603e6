package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.traces.importer.TensorRtStatisticFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;

/**
 * Aggregate-only traces imported through Kafka into the platform as a user does: TensorRT-LLM expert statistics (a
 * directory of {@code meta_info.json} and {@code rank{r}.safetensors}, built byte for byte as TensorRT-LLM writes
 * them) and a llama.cpp moe-trace CSV. Their loads are the traces' counts, their intervals resample their steps, their
 * sequence metrics are undefined with the importer's reason, and their export and replay are refused.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class AggregateOnlyImportTest extends EmbeddedPlatformTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    @Autowired
    private TestRestTemplate http;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    /** 4 experts, top-2; rank 0 routed 2 tokens in iteration 100 and 1 in 101, rank 1 one token in 100. */
    @Test
    void tensorRtLlmStatisticsAreLoadsSummedOverRanksWithIntervalsOverIterationsAndNoSequenceMetrics()
            throws Exception {
        TensorRtStatisticFiles.writeTwoRanks(dir);
        ImportedRun imported = ImportedRun.of(dir.toString(), "--bootstrap-servers", bootstrapServers);

        assertThat(imported.printed()).contains("(trtllm-expert-statistic)", "imported 4 tokens (8 decisions)",
                "aggregate-only: 2 steps of expert counts, no token recorded",
                "requests: not separable, TensorRT-LLM's expert statistics count");
        JsonNode metrics = awaitTokens(imported.runId(), 4);
        JsonNode layers = metrics.path("layers");
        assertThat(layers.get(0).path("layer").asInt()).isEqualTo(1);
        assertThat(layers.get(0).path("counts").toString()).isEqualTo("[3,2,1,2]");
        assertThat(layers.get(1).path("counts").toString()).isEqualTo("[1,2,3,2]");
        assertThat(metrics.path("modelConsistency").path("value").isNull()).isTrue();
        assertThat(metrics.path("modelConsistency").path("reason").asText()).isEqualTo("requests cannot be told"
                + " apart: TensorRT-LLM's expert statistics count the choices of each engine iteration and layer"
                + " without recording tokens, requests or phases");
        assertThat(metrics.path("layers").get(0).path("interval95").path("maxVio").path("value").path("method").asText()).isEqualTo("bootstrap over 2 steps");
        assertThat(http.getForEntity("/api/runs/" + imported.runId() + "/export", String.class).getStatusCode())
                .isEqualTo(HttpStatus.CONFLICT);
        assertThat(http.postForEntity("/api/replays?runId=" + imported.runId(), null, String.class).getStatusCode())
                .isEqualTo(HttpStatus.CONFLICT);
    }

    /** Three forward passes of a top-2 model with MoE layers 0 and 1: a prompt of 2 tokens, then 2 decode steps. */
    @Test
    void aLlamaCppMoeTraceIsOneStepPerForwardPassWithTheTracesLoads() throws Exception {
        Path trace = Files.write(dir.resolve("moe_trace.csv"), List.of("layer,expert",
                "0,1", "0,2", "0,1", "0,3", "1,0", "1,2", "1,0", "1,1",
                "0,1", "0,0", "1,2", "1,3",
                "0,1", "0,3", "1,0", "1,3"));
        ImportedRun imported = ImportedRun.of(trace.toString(), "--top-k", "2", "--bootstrap-servers",
                bootstrapServers);

        assertThat(imported.printed()).contains("(llama-moe-trace)", "imported 4 tokens (8 decisions)",
                "aggregate-only: 3 steps of expert counts", "note: 3 forward passes told apart");
        JsonNode metrics = awaitTokens(imported.runId(), 4);
        // layer 0: 1 2 1 3 | 1 0 | 1 3 -> 1 4 1 2; layer 1: 0 2 0 1 | 2 3 | 0 3 -> 3 1 2 2
        assertThat(metrics.path("layers").get(0).path("counts").toString()).isEqualTo("[1,4,1,2]");
        assertThat(metrics.path("layers").get(1).path("counts").toString()).isEqualTo("[3,1,2,2]");
        assertThat(metrics.path("layers").get(0).path("interval95").path("maxVio").path("value").path("method").asText()).isEqualTo("bootstrap over 3 steps");
    }

    private JsonNode awaitTokens(String runId, long tokens) {
        String metrics = "/api/runs/" + runId + "/metrics";
        await().atMost(PATIENCE).until(() -> http.getForObject(metrics, JsonNode.class).path("tokens").asLong()
                == tokens);
        return http.getForObject(metrics, JsonNode.class);
    }
}
