package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.platform.EmbeddedPlatformTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A Megatron-Core router trace ({@code router_trace_rank0.jsonl}) imported through Kafka into the platform: two
 * micro-batches of step 7 at layers 0 and 1, and the multi-token-prediction block's line left out. The loads are the
 * trace's counts; the run's requests are not separable, so routing consistency is undefined with the reason.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class MegatronTraceImportTest extends EmbeddedPlatformTest {

    @TempDir
    Path dir;
    @Autowired
    private TestRestTemplate http;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    @Test
    void storesEachMicroBatchAsARequestWithTheTracesCountsAndNoSequenceMetrics() throws Exception {
        Path trace = Files.write(dir.resolve("router_trace_rank0.jsonl"), List.of(
                line("decoder", 0, "[[0,1],[2,3],[0,2]]"), line("decoder", 1, "[[1,3],[0,1],[2,1]]"),
                line("decoder", 0, "[[3,0]]"), line("decoder", 1, "[[2,0]]"),
                line("mtp", 0, "[[1,2]]")));
        ImportedRun imported = ImportedRun.of(trace.toString(), "--bootstrap-servers", bootstrapServers);

        assertThat(imported.printed()).contains("imported 4 tokens (8 decisions)",
                "note: 1 lines of the multi-token-prediction block (\"block\": \"mtp\") were left out",
                "requests: not separable, a Megatron router trace names no sequence");
        String metrics = "/api/runs/" + imported.runId() + "/metrics";
        await().atMost(Duration.ofSeconds(90)).until(() -> http.getForObject(metrics, JsonNode.class)
                .path("tokens").asLong() == 4);

        JsonNode layers = http.getForObject(metrics, JsonNode.class).path("layers");
        // layer 0: ids 0 1 2 3 0 2 3 0 -> 3 1 2 2; layer 1: 1 3 0 1 2 1 2 0 -> 2 3 2 1
        assertThat(layers.get(0).path("counts").toString()).isEqualTo("[3,1,2,2]");
        assertThat(layers.get(1).path("counts").toString()).isEqualTo("[2,3,2,1]");
        JsonNode consistency = http.getForObject(metrics, JsonNode.class).path("modelConsistency");
        assertThat(consistency.path("value").isNull()).isTrue();
        assertThat(consistency.path("reason").asText()).isEqualTo("requests cannot be told apart: a Megatron "
                + "router trace names no sequence, and a micro-batch holds several sequences in router order, so its "
                + "consecutive tokens are not one sequence");
    }

    private static String line(String block, int layer, String topIndices) {
        long tokens = topIndices.chars().filter(c -> c == '[').count() - 1;
        return "{\"step\":7,\"stage\":\"train\",\"block\":\"" + block + "\",\"layer\":" + layer + ",\"rank\":0,"
                + "\"num_tokens\":" + tokens + ",\"topk\":2,\"top_indices\":" + topIndices + "}";
    }
}
