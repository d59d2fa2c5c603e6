package io.moescope.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.dashboard.RunText;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.platform.CollapsingWorkload;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.MutableClock;
import io.moescope.platform.runs.AbandonedRuns;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunFilter;
import io.moescope.platform.runs.RunStatusFilter;
import io.moescope.platform.runs.RunSummary;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.data.domain.PageRequest;
import org.springframework.test.context.TestPropertySource;

/**
 * A run whose producer died without an end event: after {@code moescope.runs.abandoned-after} (10 min, the default)
 * with nothing stored for it, it is ABANDONED, in the API and the Runs list's filter; it runs again when data
 * arrives, and a late end event wins. Runs stream through the embedded Kafka into the embedded PostgreSQL; the
 * check is called directly (its schedule is set to an hour) so each test knows which check it saw.
 */
@Import(AbandonedRunsTest.TestClock.class)
@TestPropertySource(properties = {"moescope.demo.enabled=false", "moescope.runs.abandoned-check-interval=1h"})
class AbandonedRunsTest extends EmbeddedPlatformTest {

    private static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {

        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    @Autowired
    private MutableClock clock;
    @Autowired
    private AbandonedRuns abandonedRuns;
    @Autowired
    private RunCatalog catalog;
    @Autowired
    private TestRestTemplate http;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    @AfterEach
    void clockBackToNow() {
        clock.setOffset(Duration.ZERO);
    }

    /** Streams a run's STARTED event and its tokens, and waits until ingest stored all of them. */
    private String streamStoredRun() {
        String runId = CollapsingWorkload.stream(bootstrapServers);
        await().atMost(Duration.ofSeconds(90)).until(() -> catalog.find(runId)
                .map(run -> run.tokens() == CollapsingWorkload.TOKENS).orElse(false));
        return runId;
    }

    private String statusAfterCheck(String runId) {
        List<AbandonedRuns.Change> changes = abandonedRuns.apply();
        assertThat(changes).isNotNull();
        return catalog.find(runId).orElseThrow().status();
    }

    private RunSummary run(String runId) {
        return catalog.find(runId).orElseThrow();
    }

    @Test
    void aRunWithNothingStoredForLongerThanAbandonedAfterIsAbandonedAndEndsAtItsLastRoutedToken() {
        String runId = streamStoredRun();
        clock.setOffset(ABANDONED_AFTER.plusSeconds(1));

        List<AbandonedRuns.Change> changes = abandonedRuns.apply();

        assertThat(changes).filteredOn(change -> change.runId().equals(runId))
                .extracting(AbandonedRuns.Change::status).containsExactly("ABANDONED");
        JsonNode api = http.getForObject("/api/runs/" + runId, JsonNode.class);
        assertThat(api.path("status").asText()).isEqualTo("ABANDONED");
        assertThat(api.path("finishedAt").asText()).isEqualTo(api.path("lastRoutedAt").asText()).isNotBlank();
        assertThat(RunText.status(run(runId))).isEqualTo("abandoned");
    }

    @Test
    void abandonedRunsHaveAStatusFilterOfTheirOwnInTheListAndTheApi() {
        String runId = streamStoredRun();
        clock.setOffset(ABANDONED_AFTER.plusSeconds(1));
        abandonedRuns.apply();

        assertThat(catalog.page(new RunFilter(runId, RunStatusFilter.ABANDONED), PageRequest.of(0, 10)).getContent())
                .extracting(RunSummary::runId).containsExactly(runId);
        assertThat(catalog.count(new RunFilter(runId, RunStatusFilter.RUNNING))).isZero();
        JsonNode listed = http.getForObject("/api/runs?status=abandoned&text=" + runId, JsonNode.class);
        assertThat(listed.findValuesAsText("runId")).containsExactly(runId);
    }

    @Test
    void aRunWithSomethingStoredWithinAbandonedAfterStaysRunning() {
        String runId = streamStoredRun();
        clock.setOffset(ABANDONED_AFTER.minusMinutes(1));

        List<AbandonedRuns.Change> changes = abandonedRuns.apply();

        assertThat(changes).extracting(AbandonedRuns.Change::runId).doesNotContain(runId);
        assertThat(run(runId).status()).isEqualTo("STARTED");
        assertThat(RunText.status(run(runId))).isEqualTo("running");
    }

    @Test
    void anAbandonedRunWhoseTokensArriveAgainIsRunningAgain() {
        String runId = streamStoredRun();
        clock.setOffset(ABANDONED_AFTER.plusSeconds(1));
        assertThat(statusAfterCheck(runId)).isEqualTo("ABANDONED");

        // The producer was only paused. Ingest stamps with the database's clock, which a test cannot move: the
        // application's clock comes back to it, so that what is stored from now on is newer than the cutoff.
        clock.setOffset(Duration.ZERO);
        Instant resumedAfter = Instant.now();
        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.token(CollapsingWorkload.token(runId, CollapsingWorkload.TOKENS));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> run(runId).tokens() == CollapsingWorkload.TOKENS + 1);

        List<AbandonedRuns.Change> changes = abandonedRuns.apply();

        assertThat(changes).filteredOn(change -> change.runId().equals(runId)).singleElement()
                .satisfies(change -> {
                    assertThat(change.status()).isEqualTo("STARTED");
                    assertThat(change.lastSeen()).isAfterOrEqualTo(resumedAfter.minusSeconds(1));
                });
        assertThat(run(runId).finishedAt()).isNull();
        assertThat(RunText.status(run(runId))).isEqualTo("running");
    }

    /** An idle tap routes nothing, but its STARTED event with its counts, repeated, says it is alive. */
    @Test
    void anAbandonedRunWhoseProducerReportsProgressIsRunningAgain() {
        String runId = streamStoredRun();
        clock.setOffset(ABANDONED_AFTER.plusSeconds(1));
        assertThat(statusAfterCheck(runId)).isEqualTo("ABANDONED");

        clock.setOffset(Duration.ZERO);
        RunLifecycle started = CollapsingWorkload.started(runId);
        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.runStarted(new RunLifecycle(runId, started.runName(), RunStatus.STARTED, started.timestampMicros(),
                    "tap:vllm", started.model(), CollapsingWorkload.TOKENS, null, Map.of("captured", 3L)));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> run(runId).responses() != null);

        assertThat(statusAfterCheck(runId)).isEqualTo("STARTED");
        assertThat(run(runId).responses()).containsExactly(Map.entry("captured", 3L));
    }

    @Test
    void aLateFinishedEventWinsOverAbandoned() {
        String runId = streamStoredRun();
        clock.setOffset(ABANDONED_AFTER.plusSeconds(1));
        assertThat(statusAfterCheck(runId)).isEqualTo("ABANDONED");

        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.runFinished(CollapsingWorkload.finished(runId, CollapsingWorkload.TOKENS));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> run(runId).status().equals("FINISHED"));

        assertThat(statusAfterCheck(runId)).isEqualTo("FINISHED");
        assertThat(RunText.status(run(runId))).isEqualTo("finished");
    }
}
