package io.moescope.ingest.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.events.EventCodec;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.ingest.consumer.DeadLetterRecoverer;
import io.moescope.ingest.support.Load;
import io.moescope.ingest.support.IngestTestApp;
import io.moescope.ingest.support.IngestServersTest;
import io.moescope.ingest.support.TestPostgres;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Metrics and the health indicator against the real broker and database, with short windows. */
@SpringBootTest(classes = IngestTestApp.class, properties = {
        "moescope.ingest.retry.initial-interval=100ms",
        "moescope.ingest.retry.max-interval=400ms",
        "moescope.ingest.lag.interval=200ms",
        "moescope.ingest.health.lag-window=2s",
        "moescope.ingest.health.failing-for=1s"})
class IngestOperationsIntegrationTest extends IngestServersTest {

    private static final String DATABASE = TestPostgres.createDatabase("operations_it");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.jdbcUrl(DATABASE));
        registry.add("spring.datasource.username", () -> TestPostgres.USER);
    }

    @Autowired
    private MeterRegistry meters;
    @Autowired
    private IngestHealthIndicator health;
    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    private final EventCodec codec = new EventCodec();

    @Test
    void reportsLagPerPartitionStoredRowsAndDecisionsBatchLatencyAndDeadLetters() {
        var load = new Load("run-metrics", 6, 50, 4, 8);
        load.send(producer);

        await().atMost(PATIENCE).until(() -> stored("run-metrics") == load.tokens());
        assertThat(meters.get(IngestMetrics.TOKENS).counter().count()).isGreaterThanOrEqualTo(load.tokens());
        assertThat(meters.get(IngestMetrics.DECISIONS).counter().count()).isGreaterThanOrEqualTo(load.decisions());
        assertThat(meters.get(IngestMetrics.BATCH_LATENCY).timer().count()).isPositive();
        assertThat(meters.get(IngestMetrics.TOKEN_RATE).gauge()).isNotNull();
        assertThat(meters.get(DeadLetterRecoverer.COUNTER).tag("reason", "expert-out-of-range").counter().count())
                .isZero();
        // the lag monitor registers a partition's gauge at its first sample, which may come after the rows
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (int partition = 0; partition < 3; partition++) {
                Gauge lag = meters.find(ConsumerLagMonitor.LAG).tag("topic", Topics.ROUTING)
                        .tag("partition", String.valueOf(partition)).gauge();
                assertThat(lag).as("lag gauge of partition " + partition).isNotNull();
                assertThat(lag.value()).isZero();
            }
        });
        // Health samples lag on its own schedule: on a loaded machine it may still hold a sample from the load.
        await().atMost(PATIENCE).until(() -> health.health().getStatus().equals(Status.UP));
    }

    @Test
    void healthTurnsDownWhileLagGrowsWithoutBoundAndUpWhenIngestCatchesUp() throws Exception {
        MessageListenerContainer routing = listeners.getListenerContainer("moescope-ingest-routing");
        var load = new Load("run-lagging", 3, 200, 4, 8);
        routing.pause(); // ingest stops storing; the producer does not
        try {
            int index = 0;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (health.health().getStatus().equals(Status.UP)) {
                assertThat(System.nanoTime()).as("health DOWN while the lag grows").isLessThan(deadline);
                for (int r = 0; r < 3 && index < 200; r++) {
                    TokenRouting token = load.token(r, index);
                    producer.send(new ProducerRecord<>(Topics.ROUTING, token.kafkaKey(), codec.encode(token)));
                }
                index++;
                producer.flush();
                Thread.sleep(100);
            }
            assertThat(health.health().getDetails().get("lagTrend").toString())
                    .matches("(falling_behind|stalled) .*");
        } finally {
            routing.resume();
        }
        await().atMost(PATIENCE).until(() -> health.health().getStatus().equals(Status.UP));
    }

    @Test
    void healthTurnsDownWhileTheDatabaseRefusesEveryBatch() throws Exception {
        jdbc.execute("ALTER TABLE token_routing RENAME TO token_routing_away");
        try {
            var load = new Load("run-refused", 1, 5, 4, 8);
            load.send(producer);
            await().atMost(PATIENCE).until(() -> health.health().getStatus().equals(Status.DOWN));
            assertThat(health.health().getDetails()).containsKey("failingSince");
        } finally {
            jdbc.execute("ALTER TABLE token_routing_away RENAME TO token_routing");
        }
        await().atMost(PATIENCE).until(() -> health.health().getStatus().equals(Status.UP));
    }

    private long stored(String runId) {
        Long n = jdbc.queryForObject("SELECT coalesce(sum(tokens), 0) FROM run_volume WHERE run_id = ?", Long.class,
                runId);
        return n == null ? 0 : n;
    }
}
