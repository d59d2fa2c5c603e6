package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.traces.importer.QwenProfiledTwiceLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 19, item 1, end to end: the Qwen1.5-MoE log profiled twice ({@link QwenProfiledTwiceLog}) imported through
 * Kafka into the platform. Both warm-up blocks are named in the summary and left out, so the stored run holds the
 * 1,804 real rows only and is judged by the seeded rules as the balanced run it is. Imported whole, the 16,384 dummy
 * rows on experts 0-3 made it COLLAPSED (effective experts 11.8 of 60) and fired "routing collapse".
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class WarmupBlocksImportTest extends EmbeddedPlatformTest {

    @TempDir
    Path dir;
    @Autowired
    private TestRestTemplate http;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    @Test
    void bothWarmupBlocksAreReportedLeftOutAndTheStoredRunIsHealthy() throws Exception {
        Path log = dir.resolve("qwen-routes.jsonl");
        Files.write(log, QwenProfiledTwiceLog.lines());
        ImportedRun imported = ImportedRun.of(log.toString(), "--bootstrap-servers", bootstrapServers);

        assertThat(imported.printed()).contains("imported 1804 tokens (1804 decisions)",
                "warm-up artefacts: 16384 tokens (16384 decisions) in 2 blocks of identical decisions, left out",
                "warm-up block " + log + ":2-8193: 8192 tokens (8192 decisions) of identical decisions",
                "warm-up block " + log + ":9398-17589: 8192 tokens (8192 decisions) of identical decisions",
                // item 2: req_id is constant; after the first pass come the prefill, block 2 and 150 batches of 4
                "requests: not separable, requests in stream '0': 152 of its 152 forward passes after the first"
                        + " hold several tokens (up to 8192; token_idx restarts every pass)",
                "its tokens from forward pass 2 on are stored with phase unknown");
        String metrics = "/api/runs/" + imported.runId() + "/metrics";
        await().atMost(Duration.ofSeconds(90)).until(() -> http.getForObject(metrics, JsonNode.class)
                .path("tokens").asLong() == QwenProfiledTwiceLog.REAL_ROWS);

        JsonNode layer = http.getForObject(metrics, JsonNode.class).path("layers").get(0);
        // experts 0..15: 121 choices, the other 44: 120; mean 7,216 / 60: MaxVio = 121 x 60 / 7,216 - 1 = 44 / 7,216
        assertThat(layer.path("maxVio").asDouble()).isCloseTo(44.0 / 7216, within(1e-12));
        assertThat(layer.path("deadExperts").path("dead").size()).isZero();
        assertThat(layer.path("normalisedEntropy").asDouble()).isGreaterThan(0.9999);
        assertThat(layer.path("verdict").path("status").asText()).isEqualTo("OK");
        assertThat(layer.path("verdict").path("reason").asText()).doesNotContain("breaches");
        // the run stored why its requests cannot be told apart: routing consistency is null with that reason
        JsonNode consistency = http.getForObject(metrics, JsonNode.class).path("modelConsistency");
        assertThat(consistency.path("value").isNull()).isTrue();
        assertThat(consistency.path("reason").asText()).startsWith("requests cannot be told apart: requests in"
                + " stream '0': 152 of its 152 forward passes after the first hold several tokens");
        // item 2: pass 1 was the warm-up, so every real token (the prefill of pass 2 too) is stored as unknown
        assertThat(http.getForObject(metrics + "?phase=unknown", JsonNode.class).path("tokens").asLong())
                .isEqualTo(QwenProfiledTwiceLog.REAL_ROWS);
        assertThat(http.getForObject(metrics + "?phase=prefill", JsonNode.class).path("tokens").asLong()).isZero();
        assertThat(http.getForObject(metrics + "?phase=decode", JsonNode.class).path("tokens").asLong()).isZero();
    }
}
