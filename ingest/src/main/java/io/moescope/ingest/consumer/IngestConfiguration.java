package io.moescope.ingest.consumer;

import io.moescope.events.EventCodec;
import io.moescope.events.EventDecodingException;
import io.moescope.events.Topics;
import io.moescope.ingest.NativeLz4;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.monitoring.IngestGroup;
import io.moescope.ingest.monitoring.IngestMetrics;
import io.moescope.ingest.monitoring.MonitoringConfiguration;
import io.moescope.ingest.storage.StorageMaintenance;
import io.moescope.ingest.validation.RunModelDirectory;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka to PostgreSQL ingest, for an application to {@code @Import}. Needs Boot's Kafka and DataSource
 * auto-configuration (and Flyway's, which migrates the schema from classpath {@code db/migration} before the
 * listeners start).
 *
 * <p>Properties: {@code moescope.ingest.validation.unknown-run-grace} (5s, see {@link RunModelDirectory});
 * {@code moescope.kafka.partitions} (3) and {@code moescope.kafka.replication-factor} (1) for the
 * topics; {@code moescope.ingest.retry.initial-interval} (500ms) and {@code max-interval} (30s) for the back-off
 * while the database is down; {@code moescope.ingest.auto-startup} (true); {@code moescope.ingest.instance-id}
 * (unset) for Kafka static group membership, unique per instance and stable across its restarts;
 * {@code moescope.storage.*} (see {@link StorageMaintenance}); {@code spring.kafka.*} for the rest, with group id
 * {@value #DEFAULT_GROUP_ID}, {@value #DEFAULT_MAX_POLL_RECORDS} records per poll and {@value #DEFAULT_CONCURRENCY}
 * consumer threads per listener unless set. Metrics, lag and health: {@link MonitoringConfiguration}.
 *
 * <p>Bean names start with {@code moescopeIngest} so that they collide with nothing the application declares;
 * no bean of a type Boot backs off from (KafkaTemplate, ProducerFactory, ConsumerFactory, CommonErrorHandler) is
 * declared, so the application's own Kafka auto-configuration stays as it was.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafka
@Import({MonitoringConfiguration.class, WorkloadIngestConfiguration.class})
public class IngestConfiguration {

    public static final String LISTENER_CONTAINER_FACTORY = "moescopeIngestListenerContainerFactory";
    /**
     * The routing listener's: the same consumers as {@link #LISTENER_CONTAINER_FACTORY}'s, but the record values are
     * {@link ByteBuffer} slices of the fetched bytes rather than copies of them.
     */
    public static final String ROUTING_CONTAINER_FACTORY = "moescopeIngestRoutingContainerFactory";
    public static final String DEFAULT_GROUP_ID = IngestGroup.DEFAULT_GROUP_ID;
    /** The run lifecycle listener's group: the routing group's id and this. */
    public static final String RUNS_GROUP_SUFFIX = IngestGroup.RUNS_GROUP_SUFFIX;
    /** Tokens per polled batch unless {@code spring.kafka.consumer.max-poll-records} says otherwise. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 20_000;
    /** Consumer threads per listener unless {@code spring.kafka.listener.concurrency} says otherwise. */
    public static final int DEFAULT_CONCURRENCY = 3;

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
                                                          IngestMetrics metrics) {
        return new DeadLetterRecoverer(kafka.buildProducerProperties(sslBundles.getIfAvailable()),
                metrics.registry());
    }

    /** What every ingest listener's container shares: the retry back-off and the static membership id. */
    record ListenerSettings(Duration initialInterval, Duration maxInterval, String instanceId) {
    }

    @Bean
    ListenerSettings moescopeIngestListenerSettings(
            @Value("${moescope.ingest.retry.initial-interval:500ms}") Duration initialInterval,
            @Value("${moescope.ingest.retry.max-interval:30s}") Duration maxInterval,
            @Value("${moescope.ingest.instance-id:}") String instanceId) {
        return new ListenerSettings(initialInterval, maxInterval, instanceId);
    }

    @Bean(LISTENER_CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> moescopeIngestListenerContainerFactory(
            KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles, DeadLetterRecoverer deadLetters,
            IngestMetrics metrics, ListenerSettings settings) {
        return containerFactory(new ByteArrayDeserializer(), kafka, sslBundles, deadLetters, metrics, settings);
    }

    /**
     * The routing topic's: its values are read where they lie in the fetched bytes ({@link RoutingBatchListener}),
     * so they are not copied first, as a {@code byte[]} value would be.
     */
    @Bean(ROUTING_CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, ByteBuffer> moescopeIngestRoutingContainerFactory(
            KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles, DeadLetterRecoverer deadLetters,
            IngestMetrics metrics, ListenerSettings settings) {
        return containerFactory(new ByteBufferDeserializer(), kafka, sslBundles, deadLetters, metrics, settings);
    }

    /** The consumer settings of ingest's listeners: the application's, with ingest's where it sets none. */
    static Map<String, Object> consumerProperties(KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles) {
        Map<String, Object> consumer = kafka.buildConsumerProperties(sslBundles.getIfAvailable());
        consumer.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP_ID);
        // Not the application's choice: "latest" would skip whatever was produced before the group's first start.
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Big batches: the rollup statement costs per batch (one row per layer x expert x phase touched), not per
        // token, and one COPY of thousands of rows runs near PostgreSQL's limit. A token is ~0.3-2 kB, so a fetch
        // must be allowed to bring that many. The application may override all three.
        consumer.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, DEFAULT_MAX_POLL_RECORDS);
        consumer.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        consumer.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        // The OS's socket receive buffer, grown by its autotuning, instead of the client's fixed 64 KiB: a fetch of
        // several MiB then arrives in fewer reads and wake-ups of the consumer thread.
        consumer.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        // No client metrics pushed to the broker (KIP-714; ingest's are in Micrometer): with it on, every network poll
        // of the consumer formatted telemetry strings, ~4 % of a consumer thread's samples under bench-ingest.
        consumer.putIfAbsent(ConsumerConfig.ENABLE_METRICS_PUSH_CONFIG, false);
        return consumer;
    }

    private static <V> ConcurrentKafkaListenerContainerFactory<String, V> containerFactory(
            Deserializer<V> values, KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles,
            DeadLetterRecoverer deadLetters, IngestMetrics metrics, ListenerSettings settings) {
        Map<String, Object> consumer = consumerProperties(kafka, sslBundles);
        NativeLz4.load(); // before the consumers' first lz4 batch
        var factory = new ConcurrentKafkaListenerContainerFactory<String, V>();
        var consumerFactory = new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), values);
        // Kafka's own client metrics (fetch rate, records-lag per partition as the consumer sees it, ...).
        consumerFactory.addListener(new MicrometerConsumerListener<>(metrics.registry()));
        factory.setConsumerFactory(consumerFactory);
        factory.setBatchListener(true);
        // Offsets are committed after the listener returned, i.e. after the database commit.
        factory.getContainerProperties().setAckMode(AckMode.BATCH);
        // Records handed back after a dead letter wait one paused poll before redelivery (default 100 ms each).
        factory.getContainerProperties().setPollTimeoutWhilePaused(Duration.ofMillis(5));
        DefaultErrorHandler errorHandler = errorHandler(deadLetters, settings.initialInterval(),
                settings.maxInterval());
        errorHandler.setRetryListeners(new BatchRetryListener(metrics));
        factory.setCommonErrorHandler(errorHandler);
        String instanceId = settings.instanceId();
        if (!instanceId.isBlank()) {
            // Static membership (KIP-345): a restarted instance takes its predecessor's partitions back at once, no
            // rebalance and no wait for the old session to time out. Unique per listener; spring-kafka appends the
            // consumer's index within the listener.
            factory.setContainerCustomizer(container -> container.getContainerProperties().getKafkaConsumerProperties()
                    .setProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "-" + container.getListenerId()));
        }
        // Consumer threads per listener: one per partition of the default topic layout, so that decoding in Java and
        // COPY in PostgreSQL overlap across partitions (measured with bench-ingest: 3 threads > 2 > 1).
        factory.setConcurrency(kafka.getListener().getConcurrency() != null ? kafka.getListener().getConcurrency()
                : DEFAULT_CONCURRENCY);
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
        // After a bad record, hand the records behind it straight back to the listener instead of seeking and
        // fetching them again: a seek costs up to fetch.max.wait.ms (an in-flight fetch must finish first), which
        // made every dead letter cost half a second.
        handler.setSeekAfterError(false);
        // DeadLetterRecoverer and BatchRetryListener report each failure in one line; the handler's own log
        // would repeat it with a full stack trace per bad record.
        handler.setLogLevel(KafkaException.Level.DEBUG);
        return handler;
    }

    /**
     * Run models for validation; {@code moescope.ingest.validation.unknown-run-grace} (5s) is how long tokens of a
     * run whose STARTED event is not stored yet wait for it before they are validated without the model.
     */
    @Bean
    RunModelDirectory moescopeIngestRunModels(DataSource dataSource,
            @Value("${moescope.ingest.validation.unknown-run-grace:5s}") Duration grace) {
        return RunModelDirectory.withRealTime(new RunModelQueries(new JdbcTransactions(dataSource)), grace);
    }

    /**
     * Daily partitions ahead ({@code moescope.storage.partitions-ahead}, 3 days) and retention of raw decisions
     * ({@code moescope.storage.raw-retention}, 0 = keep forever), every {@code moescope.storage.maintenance-interval}
     * (1h), and the gauge of the request keys held.
     */
    @Bean
    StorageMaintenance moescopeIngestStorageMaintenance(DataSource dataSource, ObjectProvider<Clock> clock,
            @Value("${moescope.storage.maintenance-interval:1h}") Duration interval,
            @Value("${moescope.storage.partitions-ahead:3}") int daysAhead,
            @Value("${moescope.storage.raw-retention:0}") Duration retention, IngestMetrics metrics) {
        return new StorageMaintenance(dataSource, clock.getIfUnique(Clock::systemUTC), interval, daysAhead, retention,
                metrics.registry());
    }

    @Bean
    RoutingBatchListener moescopeIngestRoutingListener(DataSource dataSource, RunModelDirectory runModels,
                                                       IngestMetrics metrics) {
        return new RoutingBatchListener(new EventCodec(), runModels, new TokenRoutingCopyWriter(),
                new JdbcTransactions(dataSource), metrics);
    }

    @Bean
    RunsBatchListener moescopeIngestRunsListener(DataSource dataSource) {
        return new RunsBatchListener(new EventCodec(), new RunLifecycleWriter(), new JdbcTransactions(dataSource));
    }
}
