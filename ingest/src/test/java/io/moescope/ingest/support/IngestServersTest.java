package io.moescope.ingest.support;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * An ingest integration test against real servers: the embedded KRaft broker (3 partitions, no rebalance delay) with
 * a producer per test, and PostgreSQL through {@link JdbcTemplate}. Each subclass names its own database (a
 * {@code @DynamicPropertySource} with {@link TestPostgres#createDatabase}) and its Spring Boot application.
 */
@EmbeddedKafka(kraft = true, partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = "group.initial.rebalance.delay.ms=0")
public abstract class IngestServersTest {

    @Autowired
    protected EmbeddedKafkaBroker broker;
    @Autowired
    protected JdbcTemplate jdbc;

    protected Producer<String, byte[]> producer;

    @BeforeEach
    void connectProducer() {
        producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }
}
