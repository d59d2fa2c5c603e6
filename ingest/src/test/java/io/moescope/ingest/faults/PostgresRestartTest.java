package io.moescope.ingest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moescope.events.Topics;
import io.moescope.ingest.monitoring.IngestHealthIndicator;
import io.moescope.ingest.support.IngestChildApp;
import io.moescope.ingest.support.Load;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * Stops PostgreSQL in the middle of a load (its own embedded server, restarted on the same data directory and port)
 * while events keep arriving: ingest pauses consumption (nothing is fetched while the database is gone, so the heap
 * holds at most the batch being retried), resumes when the server is back, and stores every decision exactly once.
 */
class PostgresRestartTest {

    private static final Load LOAD = new Load("run-pg-restart", 40, 500, 32, 64);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    private EmbeddedKafkaKraftBroker broker;
    private EmbeddedPostgres postgres;
    private ConfigurableApplicationContext ingest;

    @AfterEach
    void stopAll() throws IOException {
        if (ingest != null) {
            ingest.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void ingestPausesWhilePostgresIsDownAndResumesWithoutLosingOrRepeatingAnything() throws Exception {
        Path dataDir = Path.of("target", "pg-restart", "data").toAbsolutePath();
        deleteRecursively(dataDir.getParent());
        Files.createDirectories(dataDir);
        int port = freePort();
        postgres = startPostgres(dataDir, port);
        DataSource db = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(db).load().migrate();

        broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.ROUTING, Topics.RUNS, Topics.ROUTING_DEAD_LETTER);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();

        var meters = new SimpleMeterRegistry();
        ingest = new SpringApplicationBuilder(IngestChildApp.class)
                .web(WebApplicationType.NONE)
                .initializers(context -> context.getBeanFactory().registerSingleton("meterRegistry", meters))
                .properties(Map.of(
                        "spring.kafka.bootstrap-servers", broker.getBrokersAsString(),
                        "spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"),
                        "spring.datasource.hikari.connection-timeout", "1000",
                        "spring.kafka.consumer.max-poll-records", "500",
                        // One consumer thread: each thread pauses at its own first failure, so with several, one
                        // could still fetch a batch after another had failed, and "paused" would be a race to observe.
                        "spring.kafka.listener.concurrency", "1",
                        "moescope.ingest.retry.initial-interval", "100ms",
                        "moescope.ingest.retry.max-interval", "1s",
                        "spring.main.banner-mode", "off"))
                .run();
        var listeners = ingest.getBean(KafkaListenerEndpointRegistry.class);
        var health = ingest.getBean(IngestHealthIndicator.class);

        // Events keep arriving during the outage: the producer sends the load over ~10 seconds.
        var producerFailure = new AtomicReference<Throwable>();
        Thread producerThread = new Thread(() -> {
            try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker),
                    new StringSerializer(), new ByteArraySerializer())) {
                LOAD.send(producer, 400, Duration.ofMillis(200));
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "load-producer");
        producerThread.start();

        await(() -> storedTokens(db) > 3_000, "some tokens stored before the outage");
        double failuresBefore = batchFailures(meters);
        postgres.close();
        Instant down = Instant.now();

        await(() -> batchFailures(meters) >= failuresBefore + 2, "ingest noticing the database is gone");
        double consumedAtFirstFailures = recordsConsumed(listeners);
        Thread.sleep(OUTAGE.minus(Duration.between(down, Instant.now())).toMillis());
        double consumedAtRestart = recordsConsumed(listeners);
        assertThat(consumedAtRestart).as("records fetched while the database was down (consumer paused)")
                .isEqualTo(consumedAtFirstFailures);
        Health duringOutage = health.health();
        assertThat(duringOutage.getStatus()).isEqualTo(Status.DOWN);
        assertThat(duringOutage.getDetails().get("database").toString()).startsWith("unreachable");

        postgres = startPostgres(dataDir, port);
        DataSource restarted = postgres.getPostgresDatabase();
        producerThread.join(PATIENCE.toMillis());
        assertThat(producerFailure.get()).isNull();
        await(() -> storedTokens(restarted) == LOAD.tokens(), "every token stored after the restart");

        LOAD.assertStoredExactlyOnce(restarted);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(listeners.getListenerContainer("moescope-ingest-routing").isRunning()).isTrue();
        System.out.printf("outage %s: %,.0f failed batch deliveries, %,.0f records consumed before and during it%n",
                OUTAGE, batchFailures(meters) - failuresBefore, consumedAtRestart);
    }

    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }

    private static long storedTokens(DataSource db) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(tokens), 0) FROM run_volume")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static double batchFailures(MeterRegistry meters) {
        Counter counter = meters.find("moescope.ingest.batch.failures").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Records the routing listener's consumers have fetched so far (Kafka's own consumer metric). */
    private static double recordsConsumed(KafkaListenerEndpointRegistry listeners) {
        double total = 0;
        for (Map<MetricName, ? extends Metric> metrics
                : listeners.getListenerContainer("moescope-ingest-routing").metrics().values()) {
            for (var entry : metrics.entrySet()) {
                MetricName name = entry.getKey();
                if (name.name().equals("records-consumed-total") && name.group().equals("consumer-fetch-manager-metrics")
                        && !name.tags().containsKey("topic")) {
                    total += ((Number) entry.getValue().metricValue()).doubleValue();
                }
            }
        }
        return total;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
