package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * What an operator scrapes and probes: ingest's metrics on /actuator/prometheus and its health component. Tests
 * switch metrics export off unless asked ({@link AutoConfigureObservability}).
 */
@AutoConfigureObservability
@TestPropertySource(properties = "moescope.demo.enabled=false")
class OperationsEndpointsTest extends EmbeddedPlatformTest {

    @Autowired
    private TestRestTemplate http;

    @Test
    void prometheusShowsIngestLagPerPartitionRowsBatchLatencyAndDeadLetters() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String scrape = http.getForObject("/actuator/prometheus", String.class);
            assertThat(scrape)
                    .contains("moescope_ingest_consumer_lag_records{partition=\"0\",topic=\"moescope.routing\"}")
                    .contains("moescope_ingest_tokens_stored_tokens_total")
                    .contains("moescope_ingest_decisions_stored_decisions_total")
                    .contains("moescope_ingest_decisions_rate_decisions")
                    .contains("moescope_ingest_batch_latency_seconds_bucket")
                    .contains("moescope_ingest_dead_letters_total{reason=\"expert-out-of-range\",topic=\"moescope.routing\"}")
                    .contains("kafka_consumer_fetch_manager_records_lag")
                    .contains("moescope_storage_request_keys_used_ratio");
        });
    }

    @Test
    void healthHasAnIngestComponentThatIsUp() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode health = http.getForObject("/actuator/health", JsonNode.class);
            assertThat(health.path("components").path("ingest").path("status").asText()).isEqualTo("UP");
            assertThat(health.path("components").path("ingest").path("details").path("database").asText())
                    .isEqualTo("reachable");
        });
    }
}
