package io.moescope.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;

/** Alert rules over REST, and the streamed windows firing a rule when routing collapses. */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class AlertsTest extends EmbeddedPlatformTest {

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private MeterRegistry meters;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    @Test
    void theDefaultRulesAreSeeded() {
        JsonNode rules = http.getForObject("/api/alerts/rules", JsonNode.class);
        assertThat(rules.findValuesAsText("metric")).contains("dead_experts", "max_vio", "normalised_entropy");
    }

    @Test
    void aRuleNamingAnUnknownMetricIsRefusedWithTheKnownOnes() {
        var response = http.postForEntity("/api/alerts/rules",
                Map.of("name", "x", "metric", "loudness", "threshold", 1), JsonNode.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody().path("detail").asText()).startsWith("metric: unknown metric 'loudness'");
    }

    @Test
    void aRuleCanBeCreatedChangedAndDeletedAtRunTime() {
        JsonNode created = http.postForObject("/api/alerts/rules", Map.of("name", "gini", "metric", "gini",
                "scope", "model", "threshold", 0.5, "clearThreshold", 0.4, "forSeconds", 30), JsonNode.class);
        long id = created.path("id").asLong();
        assertThat(created.path("scope").asText()).isEqualTo("MODEL");

        http.put("/api/alerts/rules/" + id, Map.of("name", "gini", "metric", "gini", "threshold", 0.6));
        JsonNode rules = http.getForObject("/api/alerts/rules", JsonNode.class);
        assertThat(rules.findValues("threshold").stream().map(JsonNode::asDouble)).contains(0.6);

        var deleted = http.exchange("/api/alerts/rules/" + id, HttpMethod.DELETE, HttpEntity.EMPTY, Void.class);
        assertThat(deleted.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
    }

    private String streamCollapsedRun() {
        return CollapsingWorkload.stream(bootstrapServers);
    }

    /** "rule:TO:reason" of every stored step of the subject, oldest first. */
    private List<String> stepsOf(String subject) {
        JsonNode events = http.getForObject("/api/alerts/events?limit=1000", JsonNode.class);
        var steps = new ArrayList<String>();
        events.forEach(e -> {
            if (e.path("subject").asText().equals(subject)) {
                steps.add(0, e.path("rule").asText() + ":" + e.path("to").asText() + ":" + e.path("reason").asText());
            }
        });
        return steps;
    }

    @Test
    void aCollapsingWorkloadFiresTheRoutingCollapseRule() {
        // normalised entropy ln 2 / ln 8 = 1/3 < 0.7 fires at once; 6 dead experts wait 5 minutes
        String subject = streamCollapsedRun() + "/layer 0";
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(stepsOf(subject)).contains(
                "routing collapse:FIRING:normalised_entropy below 0.7 for 0 s",
                "dead experts:PENDING:dead_experts above 0.0"));
    }

    @Test
    void aFiringAlertResolvesWhenItsRunEnds() {
        String runId = streamCollapsedRun();
        String subject = runId + "/layer 0";
        await().atMost(Duration.ofSeconds(90)).until(() -> stepsOf(subject).stream()
                .anyMatch(step -> step.startsWith("routing collapse:FIRING")));

        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.runFinished(CollapsingWorkload.finished(runId, CollapsingWorkload.TOKENS));
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(stepsOf(subject)).contains(
                "routing collapse:RESOLVED:run ended (FINISHED)", "dead experts:RESOLVED:run ended (FINISHED)"));
    }

    @Test
    void aFiringAlertResolvesWhenItsRunSendsNothingForLongerThanTheRulesWindow() {
        String runId = "quiet-" + UUID.randomUUID();
        JsonNode rule = http.postForObject("/api/alerts/rules", Map.of("name", "short collapse", "metric",
                "normalised_entropy", "runId", runId, "comparison", "below", "threshold", 0.7,
                "clearThreshold", 0.75, "windowSeconds", 2), JsonNode.class);
        String subject = runId + "/layer 0";
        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.runStarted(CollapsingWorkload.started(runId));
            var sent = new AtomicInteger();
            // keeps the 2 s window fed until the rule fires, however long the stream takes to start
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                sink.token(CollapsingWorkload.token(runId, sent.getAndIncrement()));
                return stepsOf(subject).stream().anyMatch(step -> step.startsWith("short collapse:FIRING"));
            });
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(stepsOf(subject))
                .contains("short collapse:RESOLVED:no data for longer than the 2 s window"));
        http.delete("/api/alerts/rules/" + rule.path("id").asLong());
    }

    @Test
    void gaugesShowTheLiveWindowPerRunLayerAndExpert() {
        // @SpringBootTest swaps the Prometheus registry for a simple one; the meters are the same
        String runId = streamCollapsedRun();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(meters.find("moescope.layer.dead.experts").tags("run", runId, "layer", "0").gauge())
                    .isNotNull().extracting(g -> g.value()).isEqualTo(6.0);
            assertThat(meters.find("moescope.expert.load.share").tags("run", runId, "layer", "0", "expert", "0")
                    .gauge().value()).isEqualTo(0.5);
            // mean load 400 / 8 = 50, max 200: (200 - 50) / 50
            assertThat(meters.find("moescope.layer.max.vio").tags("run", runId, "layer", "0").gauge().value())
                    .isEqualTo(3.0);
        });
    }
}
