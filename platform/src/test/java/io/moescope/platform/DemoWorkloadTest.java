package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.traces.delivery.ProducerCompression;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.TestPropertySource;

/** What a new user sees after the README's first command: a demo run arrives on its own. */
@TestPropertySource(properties = "moescope.demo.max-new-tokens=6")
class DemoWorkloadTest extends EmbeddedPlatformTest {

    /** From class load on: the demo's producer is built and closed before the first test method runs. */
    private static final ProducerClientIds PRODUCERS = ProducerClientIds.recording();

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private ProducerCompression producerCompression;

    @AfterAll
    static void stopRecording() {
        PRODUCERS.close();
    }

    @Test
    void theDemoRunGoesUncompressedToTheEmbeddedBrokerOnTheSameHost() {
        assertThat(producerCompression.codec()).isEqualTo("none");
    }

    /** Not the probe's: two producers of one id in one JVM make Kafka warn "Error registering AppInfo mbean". */
    @Test
    void theDemoRunIsSentAsMoescopeDemo() {
        finishedDemoRun();

        assertThat(PRODUCERS.registered()).contains("moescope-demo").doesNotContain("moescope-probe");
    }

    @Test
    void theDemoRunArrivesWithTokensTimesLayersDecisionsAndSharesSummingToOne() {
        JsonNode run = finishedDemoRun();
        assertThat(run.path("decisions").asLong())
                .isEqualTo(run.path("tokens").asLong() * DemoModelSpec.defaults().numLayers());

        JsonNode metrics = http.getForObject("/api/runs/" + run.path("runId").asText() + "/metrics", JsonNode.class);
        assertThat(metrics.path("layers")).hasSize(DemoModelSpec.defaults().numLayers());
        for (JsonNode layer : metrics.path("layers")) {
            double sum = 0;
            for (JsonNode share : layer.path("shares")) {
                sum += share.asDouble();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    private JsonNode finishedDemoRun() {
        var demo = new AtomicReference<JsonNode>();
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            for (JsonNode run : http.getForObject("/api/runs", JsonNode.class)) {
                if ("demo".equals(run.path("name").asText()) && "FINISHED".equals(run.path("status").asText())
                        && run.path("tokens").asLong() > 0
                        && run.path("tokens").asLong() == run.path("tokensReported").asLong(-1)) {
                    demo.set(run);
                    return true;
                }
            }
            return false;
        });
        return demo.get();
    }
}
