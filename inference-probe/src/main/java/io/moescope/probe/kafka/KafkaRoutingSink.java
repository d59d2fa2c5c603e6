package io.moescope.probe.kafka;

import io.moescope.events.EventCodec;
import io.moescope.events.RunLifecycle;
import io.moescope.events.Topics;
import io.moescope.events.TokenRouting;
import io.moescope.probe.run.RoutingSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a probe run to Kafka: each {@link TokenRouting} as one Avro record on {@link Topics#ROUTING} keyed by
 * run/request (so a request's tokens stay ordered in one partition), lifecycle events on {@link Topics#RUNS} keyed by
 * run id. Sends are asynchronous; the first failure is remembered, stops further sends and is thrown from
 * {@link #close()} (or the next send), so a run never ends "successfully" with records missing.
 */
public final class KafkaRoutingSink implements RoutingSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRoutingSink.class);

    private final String bootstrapServers;
    private final Producer<String, byte[]> producer;
    private final EventCodec codec = new EventCodec();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaRoutingSink(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** {@code overrides} are producer properties applied over the defaults (idempotent, acks=all, lz4, linger 5 ms). */
    public KafkaRoutingSink(String bootstrapServers, Map<String, ?> overrides) {
        this.bootstrapServers = bootstrapServers;
        var config = new HashMap<String, Object>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A few milliseconds of batching turns one-token decode steps into batches without visible delay.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "moescope-probe");
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Fails fast with "Kafka at &lt;servers&gt; is unreachable: ..." when no broker answers within {@code timeout};
     * call before a run so that a typo in the address does not surface as a send timeout minutes later.
     */
    public static void requireReachable(String bootstrapServers, Duration timeout) {
        var props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId()
                    .get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unreachable(bootstrapServers, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " is unreachable: no broker answered within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(bootstrapServers, e);
        } catch (RuntimeException e) {
            // Admin.create rejects unresolvable or malformed addresses with a KafkaException.
            throw unreachable(bootstrapServers, e);
        }
    }

    @Override
    public void runStarted(RunLifecycle run) {
        send(Topics.RUNS, run.runId(), codec.encode(run));
    }

    @Override
    public void token(TokenRouting token) {
        send(Topics.ROUTING, token.kafkaKey(), codec.encode(token));
    }

    @Override
    public void runFinished(RunLifecycle run) {
        send(Topics.RUNS, run.runId(), codec.encode(run));
    }

    /** Flushes every record, closes the producer and throws if any send failed. */
    @Override
    public void close() {
        try {
            producer.flush();
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
        throwIfFailed();
    }

    private void send(String topic, String key, byte[] value) {
        throwIfFailed();
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, exception) -> {
            if (exception != null && failure.compareAndSet(null, exception)) {
                LOG.error("sending to {} at {} failed", topic, bootstrapServers, exception);
            }
        });
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("sending routing events to Kafka at " + bootstrapServers
                    + " failed: " + e, e);
        }
    }

    private static IllegalStateException unreachable(String servers, Throwable cause) {
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new IllegalStateException("Kafka at " + servers + " is unreachable: " + reason, cause);
    }
}
