package io.moescope.ingest.consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moescope.events.EventCodec;
import io.moescope.events.EventDecodingException;
import io.moescope.events.Topics;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.runs.RunLifecycleWriter;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka to PostgreSQL ingest, for an application to {@code @Import}. Needs Boot's Kafka and DataSource
 * auto-configuration (and Flyway's, which migrates the schema from classpath {@code db/migration} before the
 * listeners start).
 *
 * <p>Properties: {@code moescope.kafka.partitions} (3) and {@code moescope.kafka.replication-factor} (1) for the
 * topics; {@code moescope.ingest.retry.initial-interval} (500ms) and {@code max-interval} (30s) for the back-off
 * while the database is down; {@code moescope.ingest.auto-startup} (true); {@code spring.kafka.*} for the rest,
 * group id {@value #DEFAULT_GROUP_ID} unless {@code spring.kafka.consumer.group-id} is set.
 *
 * <p>Bean names start with {@code moescopeIngest} so that they collide with nothing the application declares;
 * no bean of a type Boot backs off from (KafkaTemplate, ProducerFactory, ConsumerFactory, CommonErrorHandler) is
 * declared, so the application's own Kafka auto-configuration stays as it was.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafka
@Import(WorkloadIngestConfiguration.class)
public class IngestConfiguration {

    public static final String LISTENER_CONTAINER_FACTORY = "moescopeIngestListenerContainerFactory";
    public static final String DEFAULT_GROUP_ID = "moescope-ingest";

    @Bean
    NewTopic moescopeIngestRoutingTopic(@Value("${moescope.kafka.partitions:3}") int partitions,
                                        @Value("${moescope.kafka.replication-factor:1}") short replicas) {
        return TopicBuilder.name(Topics.ROUTING).partitions(partitions).replicas(replicas).build();
    }

    @Bean
    NewTopic moescopeIngestRunsTopic(@Value("${moescope.kafka.partitions:3}") int partitions,
                                     @Value("${moescope.kafka.replication-factor:1}") short replicas) {
        return TopicBuilder.name(Topics.RUNS).partitions(partitions).replicas(replicas).build();
    }

    @Bean
    NewTopic moescopeIngestDeadLetterTopic(@Value("${moescope.kafka.partitions:3}") int partitions,
                                           @Value("${moescope.kafka.replication-factor:1}") short replicas) {
        return TopicBuilder.name(Topics.ROUTING_DEAD_LETTER).partitions(partitions).replicas(replicas).build();
    }

    @Bean
    DeadLetterRecoverer moescopeIngestDeadLetterRecoverer(KafkaProperties kafka,
                                                          ObjectProvider<SslBundles> sslBundles,
                                                          ObjectProvider<MeterRegistry> meterRegistry) {
        return new DeadLetterRecoverer(kafka.buildProducerProperties(sslBundles.getIfAvailable()),
                meterRegistry.getIfUnique(SimpleMeterRegistry::new));
    }

    @Bean(LISTENER_CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> moescopeIngestListenerContainerFactory(
            KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles, DeadLetterRecoverer deadLetters,
            ObjectProvider<MeterRegistry> meterRegistry,
            @Value("${moescope.ingest.retry.initial-interval:500ms}") Duration initialInterval,
            @Value("${moescope.ingest.retry.max-interval:30s}") Duration maxInterval) {
        Map<String, Object> consumer = kafka.buildConsumerProperties(sslBundles.getIfAvailable());
        consumer.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP_ID);
        // Not the application's choice: "latest" would skip whatever was produced before the group's first start.
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);

        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()));
        factory.setBatchListener(true);
        // Offsets are committed after the listener returned, i.e. after the database commit.
        factory.getContainerProperties().setAckMode(AckMode.BATCH);
        DefaultErrorHandler errorHandler = errorHandler(deadLetters, initialInterval, maxInterval);
        errorHandler.setRetryListeners(new BatchRetryListener(meterRegistry.getIfUnique(SimpleMeterRegistry::new)));
        factory.setCommonErrorHandler(errorHandler);
        if (kafka.getListener().getConcurrency() != null) {
            factory.setConcurrency(kafka.getListener().getConcurrency());
        }
        return factory;
    }

    /**
     * A bad record (pointed at by BatchListenerFailedException) goes to the dead-letter topic at once; any other
     * failure, such as the database being down, retries the whole batch with back-off for as long as it takes:
     * the back-off has no attempt or time limit, so nothing is skipped.
     */
    private static DefaultErrorHandler errorHandler(DeadLetterRecoverer deadLetters, Duration initialInterval,
                                                    Duration maxInterval) {
        var backOff = new ExponentialBackOff(initialInterval.toMillis(), 2.0);
        backOff.setMaxInterval(maxInterval.toMillis());
        var handler = new DefaultErrorHandler(deadLetters, backOff);
        handler.addNotRetryableExceptions(EventDecodingException.class);
        // DeadLetterRecoverer and BatchRetryListener report each failure in one line; the handler's own log
        // would repeat it with a full stack trace per bad record.
        handler.setLogLevel(KafkaException.Level.DEBUG);
        return handler;
    }

    @Bean
    RoutingBatchListener moescopeIngestRoutingListener(DataSource dataSource) {
        return new RoutingBatchListener(new EventCodec(), new TokenRoutingCopyWriter(),
                new JdbcTransactions(dataSource));
    }

    @Bean
    RunsBatchListener moescopeIngestRunsListener(DataSource dataSource) {
        return new RunsBatchListener(new EventCodec(), new RunLifecycleWriter(), new JdbcTransactions(dataSource));
    }
}
