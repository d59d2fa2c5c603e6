package io.moescope.platform.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.moescope.analytics.alerting.AlertState;
import io.moescope.analytics.alerting.AlertTransition;
import io.moescope.analytics.alerting.Evidence;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {

    private static final AlertTransition FIRING = new AlertTransition(3, "routing collapse", "run-1/layer 0",
            AlertState.PENDING, AlertState.FIRING, 0.25, Instant.parse("2026-01-01T00:00:00Z"),
            "normalised_entropy below 0.7 for 0 s (400 decisions; a balanced router's 95 % bound: 0.9501)",
            new Evidence(400, 0.95012));

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void startReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 503 : 204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private WebhookNotifier notifier(int attempts) {
        URI url = URI.create("http://localhost:" + server.getAddress().getPort() + "/hook");
        return new WebhookNotifier(Optional.of(url), HttpClient.newHttpClient(), executor, new ObjectMapper(),
                attempts, Duration.ofMillis(10));
    }

    @Test
    void theBodySaysWhatFiredWithItsValueAndTheEvidenceItRestsOn() {
        notifier(1).notify(List.of(FIRING));
        await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == 1);
        assertThat(bodies.get(0)).isEqualTo("{\"status\":\"firing\",\"ruleId\":3,\"rule\":\"routing collapse\","
                + "\"subject\":\"run-1/layer 0\",\"value\":0.25,\"previousState\":\"pending\","
                + "\"at\":\"2026-01-01T00:00:00Z\",\"reason\":\"normalised_entropy below 0.7 for 0 s (400 decisions; a"
                + " balanced router's 95 % bound: 0.9501)\",\"decisions\":400,\"chanceBound\":0.95012}");
    }

    @Test
    void aFailedPostIsRetriedUntilItSucceeds() {
        failuresLeft.set(2);
        notifier(5).notify(List.of(FIRING));
        await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == 3);
        assertThat(bodies).allMatch(b -> b.equals(bodies.get(0)));
    }

    @Test
    void pendingStepsAreNotSent() {
        var pending = new AlertTransition(3, "r", "s", AlertState.INACTIVE, AlertState.PENDING, 1, Instant.EPOCH);
        notifier(1).notify(List.of(pending, FIRING));
        await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == 1);
        assertThat(bodies.get(0)).contains("\"status\":\"firing\"");
    }

    @Test
    void theResolutionOfAFiredAlertIsSentWithItsReason() {
        var resolved = new AlertTransition(3, "r", "s", AlertState.FIRING, AlertState.RESOLVED, 0.25, Instant.EPOCH,
                "run ended (FINISHED)");
        notifier(1).notify(List.of(resolved));
        await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == 1);
        assertThat(bodies.get(0)).contains("\"status\":\"resolved\"", "\"reason\":\"run ended (FINISHED)\"");
    }

    @Test
    void aPendingAlertThatResolvesWasNeverAnnouncedSoItsResolutionIsNotSent() {
        var quiet = new AlertTransition(3, "r", "s", AlertState.PENDING, AlertState.RESOLVED, 1, Instant.EPOCH,
                "run ended (FINISHED)");
        notifier(1).notify(List.of(quiet, FIRING));
        await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == 1);
        assertThat(bodies.get(0)).contains("\"status\":\"firing\"");
    }

    @Test
    void aTestNotificationIsPostedOnceAndItsResponseReported() throws Exception {
        String result = notifier(5).sendTest(Instant.parse("2026-01-01T00:00:00Z")).get();

        assertThat(result).isEqualTo("HTTP 204");
        assertThat(bodies).containsExactly(
                "{\"status\":\"test\",\"rule\":\"moescope test notification\",\"at\":\"2026-01-01T00:00:00Z\"}");
    }

    @Test
    void aTestNotificationWithoutAWebhookSaysHowToConfigureOne() throws Exception {
        var none = new WebhookNotifier(Optional.empty(), HttpClient.newHttpClient(), executor, new ObjectMapper(), 5,
                Duration.ofMillis(10));

        assertThat(none.sendTest(Instant.EPOCH).get())
                .isEqualTo("no webhook configured: set moescope.alerts.webhook-url and restart");
    }
}
