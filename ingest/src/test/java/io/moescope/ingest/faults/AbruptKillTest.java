package io.moescope.ingest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Topics;
import io.moescope.ingest.support.IngestProcess;
import io.moescope.ingest.support.Load;
import io.moescope.ingest.support.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * Kills the ingest process (a JVM running only the ingest wiring) with SIGKILL again and again while it stores a
 * million decisions (31,250 tokens x 32 layers, top-2), then checks that every decision is stored exactly once: row
 * count, a checksum over the keys, and every rollup count.
 *
 * <p>The child delays each database commit's return by {@value #COMMIT_DELAY_MS} ms, so kills often land between
 * the database commit and the Kafka offset commit: Kafka then redelivers records that are already stored, which
 * the writer must skip. The test asserts that this happened at least once.
 */
class AbruptKillTest {

    private static final int KILLS = 6;
    private static final long COMMIT_DELAY_MS = 150;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(120);
    private static final Load LOAD = new Load("run-kill", 50, 625, 32, 64);
    private static final Pattern STORED = Pattern.compile("Stored (\\d+) of (\\d+) token routings \\((\\d+) already");

    private static EmbeddedKafkaBroker broker;
    private static String database;
    private static DataSource db;

    @BeforeAll
    static void servers() {
        broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.ROUTING, Topics.RUNS, Topics.ROUTING_DEAD_LETTER)
                .brokerProperty("group.initial.rebalance.delay.ms", "0");
        ((EmbeddedKafkaKraftBroker) broker).afterPropertiesSet();
        database = TestPostgres.createDatabase("abrupt_kill");
        db = TestPostgres.dataSource(database);
        org.flywaydb.core.Flyway.configure().dataSource(db).load().migrate();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void everyDecisionIsStoredExactlyOnceThoughTheIngestProcessIsKilledAgainAndAgain() throws Exception {
        assertThat(LOAD.decisions()).isEqualTo(1_000_000);
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker),
                new StringSerializer(), new ByteArraySerializer())) {
            LOAD.send(producer);
        }
        Path log = Files.createDirectories(Path.of("target", "fault-logs")).resolve("abrupt-kill.log");
        Files.deleteIfExists(log);
        Map<String, String> properties = Map.of(
                "spring.kafka.bootstrap-servers", broker.getBrokersAsString(),
                "spring.datasource.url", TestPostgres.jdbcUrl(database),
                "spring.datasource.username", TestPostgres.USER,
                "spring.kafka.listener.concurrency", "3",
                "spring.kafka.consumer.max-poll-records", "300",
                // Static membership: a restarted process takes its predecessor's partitions at once instead of
                // waiting for the dead member's session to time out.
                "moescope.ingest.instance-id", "abrupt-kill-test",
                "moescope.test.commit-delay", String.valueOf(COMMIT_DELAY_MS),
                "logging.level.io.moescope.ingest.consumer.RoutingBatchListener", "DEBUG",
                "spring.main.banner-mode", "off");

        var random = new Random(5);
        int kills = 0;
        while (kills < KILLS) {
            long before = storedRows();
            if (before == LOAD.tokens()) {
                break;
            }
            IngestProcess ingest = IngestProcess.start(log, properties, START_TIMEOUT);
            awaitRowsAbove(before, ingest);
            Thread.sleep(100 + random.nextInt(800));
            ingest.kill();
            kills++;
            System.out.printf("kill %d: %,d of %,d tokens stored%n", kills, storedRows(), LOAD.tokens());
        }
        try (IngestProcess ingest = IngestProcess.start(log, properties, START_TIMEOUT)) {
            Instant deadline = Instant.now().plus(FINISH_TIMEOUT);
            while (storedRows() < LOAD.tokens() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            ingest.kill();
        }

        assertThat(kills).as("kills while the load was being stored").isEqualTo(KILLS);
        LOAD.assertStoredExactlyOnce(db);
        long replayed = replayedTokens(log);
        System.out.printf("%d kills; %,d tokens redelivered after a kill and skipped%n", kills, replayed);
        assertThat(replayed).as("tokens redelivered after a kill (already stored, so skipped)").isPositive();
    }

    private void awaitRowsAbove(long before, IngestProcess ingest) throws Exception {
        Instant deadline = Instant.now().plus(FINISH_TIMEOUT);
        while (storedRows() <= before) {
            assertThat(ingest.isAlive()).as("ingest process alive").isTrue();
            assertThat(Instant.now()).as("progress after a restart").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private static long storedRows() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(tokens), 0) FROM run_volume")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long replayedTokens(Path log) throws Exception {
        long replayed = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            Matcher m = STORED.matcher(line);
            if (m.find()) {
                replayed += Long.parseLong(m.group(3));
            }
        }
        return replayed;
    }
}
