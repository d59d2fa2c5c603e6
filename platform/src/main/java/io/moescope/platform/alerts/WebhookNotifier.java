package io.moescope.platform.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.analytics.alerting.AlertState;
import io.moescope.analytics.alerting.AlertTransition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts FIRING transitions, and the RESOLVED ones of alerts that had fired, to the configured webhook as JSON (body documented in docs/operations.md), on its
 * own executor: evaluation only enqueues. A failed post (I/O error or non-2xx) is retried after a back-off that
 * doubles each time, up to {@code maxAttempts}; then it is logged and dropped. A pending alert that resolves (its
 * run ended first) was never announced, so its resolution is not either.
 */
public class WebhookNotifier {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

    private final Optional<URI> url;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    private final ObjectMapper json;
    private final int maxAttempts;
    private final Duration firstBackoff;

    WebhookNotifier(Optional<URI> url, HttpClient http, ScheduledExecutorService executor, ObjectMapper json,
                    int maxAttempts, Duration firstBackoff) {
        this.url = url;
        this.http = http;
        this.executor = executor;
        this.json = json;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
    }

    /** Where notifications go; empty when no webhook is configured. */
    public Optional<URI> url() {
        return url;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Posts one test notification (status "test", no retries) so an operator can check the receiver, and says how
     * it went: "HTTP 204", or what failed.
     */
    public CompletableFuture<String> sendTest(Instant at) {
        if (url.isEmpty()) {
            return CompletableFuture.completedFuture(
                    "no webhook configured: set moescope.alerts.webhook-url and restart");
        }
        var test = new LinkedHashMap<String, Object>();
        test.put("status", "test");
        test.put("rule", "moescope test notification");
        test.put("at", at.toString());
        String body;
        try {
            body = json.writeValueAsString(test);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the test body", e);
        }
        var request = HttpRequest.newBuilder(url.get()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> error != null ? "failed: " + error
                        : "HTTP " + response.statusCode() + (response.statusCode() / 100 == 2 ? "" : " (not 2xx)"));
    }

    void notify(List<AlertTransition> transitions) {
        if (url.isEmpty()) {
            return;
        }
        for (AlertTransition t : transitions) {
            if (t.to() == AlertState.FIRING || t.to() == AlertState.RESOLVED && t.from() == AlertState.FIRING) {
                String body = body(t);
                executor.execute(() -> post(body, 1));
            }
        }
    }

    static Map<String, Object> payload(AlertTransition t) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("status", t.to().name().toLowerCase(Locale.ROOT));
        payload.put("ruleId", t.ruleId());
        payload.put("rule", t.rule());
        payload.put("subject", t.subject());
        payload.put("value", t.value());
        payload.put("previousState", t.from().name().toLowerCase(Locale.ROOT));
        payload.put("at", t.at().toString());
        payload.put("reason", t.reason());
        if (t.evidence() != null) {
            payload.put("decisions", t.evidence().decisions());
            payload.put("chanceBound", t.evidence().chanceBound());
        }
        return payload;
    }

    private String body(AlertTransition t) {
        try {
            return json.writeValueAsString(payload(t));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the webhook body of " + t, e);
        }
    }

    private void post(String body, int attempt) {
        var request = HttpRequest.newBuilder(url.orElseThrow()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            boolean ok = error == null && response.statusCode() / 100 == 2;
            if (ok) {
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            if (attempt >= maxAttempts) {
                log.warn("webhook {} failed {} times ({}); dropping {}", url.get(), attempt, why, body);
                return;
            }
            long delay = firstBackoff.toMillis() << (attempt - 1);
            log.debug("webhook {} failed ({}); retry {} in {} ms", url.get(), why, attempt + 1, delay);
            executor.schedule(() -> post(body, attempt + 1), delay, TimeUnit.MILLISECONDS);
        });
    }
}
