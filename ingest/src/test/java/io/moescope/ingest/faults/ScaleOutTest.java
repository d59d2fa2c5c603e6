package io.moescope.ingest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Topics;
import io.moescope.ingest.support.IngestChildApp;
import io.moescope.ingest.support.Load;
import io.moescope.ingest.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * Ingest scales out by running more instances in one consumer group. Two instances share the six partitions of the
 * routing topic; a third joins and one leaves while a load streams in; every rebalance moves partitions between
 * instances, and afterwards every decision is stored exactly once.
 */
class ScaleOutTest {

    private static final int PARTITIONS = 6;
    private static final Load LOAD = new Load("run-scale-out", 60, 400, 32, 64);
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private EmbeddedKafkaKraftBroker broker;

    @AfterEach
    void stopAll() {
        instances.forEach(ConfigurableApplicationContext::close);
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void instancesJoiningAndLeavingShareThePartitionsAndStoreEveryDecisionExactlyOnce() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, Topics.ROUTING, Topics.RUNS,
                Topics.ROUTING_DEAD_LETTER);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        String database = TestPostgres.createDatabase("scale_out");
        DataSource db = TestPostgres.dataSource(database);
        Flyway.configure().dataSource(db).load().migrate();

        ConfigurableApplicationContext a = startInstance(database);
        ConfigurableApplicationContext b = startInstance(database);
        await(() -> shareAllPartitions(List.of(a, b)), "two instances sharing the partitions");
        System.out.printf("two instances: A %s, B %s%n", partitions(a), partitions(b));

        var producerFailure = new AtomicReference<Throwable>();
        Thread producer = new Thread(() -> {
            try (Producer<String, byte[]> kafka = new KafkaProducer<>(KafkaTestUtils.producerProps(broker),
                    new StringSerializer(), new ByteArraySerializer())) {
                LOAD.send(kafka, 200, Duration.ofMillis(100)); // ~12 s, so that both rebalances fall inside
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "load-producer");
        producer.start();

        await(() -> storedTokens(db) > LOAD.tokens() / 10, "a tenth stored by two instances");
        ConfigurableApplicationContext c = startInstance(database);
        await(() -> shareAllPartitions(List.of(a, b, c)), "three instances sharing the partitions");
        System.out.printf("a third joins at %,d tokens: A %s, B %s, C %s%n", storedTokens(db), partitions(a),
                partitions(b), partitions(c));

        await(() -> storedTokens(db) > LOAD.tokens() / 2, "half stored by three instances");
        b.close();
        instances.remove(b);
        await(() -> shareAllPartitions(List.of(a, c)), "two instances again after one left");
        System.out.printf("B leaves at %,d tokens: A %s, C %s%n", storedTokens(db), partitions(a), partitions(c));

        assertThat(producer.isAlive()).as("the load still streaming in after both rebalances").isTrue();
        producer.join(PATIENCE.toMillis());
        assertThat(producerFailure.get()).isNull();
        await(() -> storedTokens(db) == LOAD.tokens(), "every token stored");
        LOAD.assertStoredExactlyOnce(db);
    }

    private ConfigurableApplicationContext startInstance(String database) {
        ConfigurableApplicationContext instance = new SpringApplicationBuilder(IngestChildApp.class)
                .web(WebApplicationType.NONE)
                .properties(Map.of(
                        "spring.kafka.bootstrap-servers", broker.getBrokersAsString(),
                        "spring.datasource.url", TestPostgres.jdbcUrl(database),
                        "spring.datasource.username", TestPostgres.USER,
                        "spring.kafka.listener.concurrency", "2",
                        "spring.kafka.consumer.max-poll-records", "500",
                        "moescope.kafka.partitions", String.valueOf(PARTITIONS),
                        "spring.main.banner-mode", "off"))
                .run();
        instances.add(instance);
        return instance;
    }

    private static Collection<TopicPartition> partitions(ConfigurableApplicationContext instance) {
        Collection<TopicPartition> assigned = instance.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("moescope-ingest-routing").getAssignedPartitions();
        return assigned == null ? List.of() : assigned;
    }

    /** Every instance has partitions, none has one another has, and together they have them all. */
    private static boolean shareAllPartitions(List<ConfigurableApplicationContext> group) {
        Set<TopicPartition> all = new HashSet<>();
        int total = 0;
        for (ConfigurableApplicationContext instance : group) {
            Collection<TopicPartition> assigned = partitions(instance);
            if (assigned.isEmpty()) {
                return false;
            }
            all.addAll(assigned);
            total += assigned.size();
        }
        return all.size() == PARTITIONS && total == PARTITIONS;
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

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
