package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The webhook sees a run's alert fire and then resolve when the run ends. A context of its own (the webhook URL
 * differs), closed after the class.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
@DirtiesContext
class AlertWebhookTest extends EmbeddedPlatformTest {

    private static final List<JsonNode> BODIES = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer receiver;

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try {
                BODIES.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        registry.add("moescope.alerts.webhook-url",
                () -> "http://localhost:" + receiver.getAddress().getPort() + "/hook");
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    private List<String> received(String subject) {
        return BODIES.stream().filter(b -> b.path("subject").asText().equals(subject))
                .map(b -> b.path("rule").asText() + ":" + b.path("status").asText() + ":" + b.path("reason").asText())
                .toList();
    }

    @Test
    void aFiredAlertOfARunThatEndsIsPostedAsResolvedWithTheReason() {
        String runId = "webhook-" + UUID.randomUUID();
        var model = new ModelIdentity("collapse", "MixtralForCausalLM", 8, 2, 1, List.of(0), 1, 1);
        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.runStarted(new RunLifecycle(runId, "collapse", RunStatus.STARTED, micros(), "probe", model, 0));
            for (int t = 0; t < 100; t++) {
                sink.token(new TokenRouting(runId, "r1", t, 5, Phase.DECODE, micros(),
                        List.of(new RouterDecision(0, new int[] {0, 1}, new float[] {0.6f, 0.4f}, 0.7f))));
            }
        }
        String subject = runId + "/layer 0";
        await().atMost(Duration.ofSeconds(90)).until(() -> received(subject).stream()
                .anyMatch(r -> r.startsWith("routing collapse:firing")));

        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.runFinished(new RunLifecycle(runId, "collapse", RunStatus.FINISHED, micros(), "probe", model, 100));
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(received(subject))
                .contains("routing collapse:resolved:run ended (FINISHED)"));
    }

    private static long micros() {
        return System.currentTimeMillis() * 1000;
    }
}
