package io.moescope.traces.delivery;

import io.moescope.events.EventCodec;
import io.moescope.events.ExpertCacheCodec;
import io.moescope.events.ExpertCacheStep;
import io.moescope.events.ExpertCounts;
import io.moescope.events.ExpertCountsCodec;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunWorkload;
import io.moescope.events.WorkloadCodec;
import io.moescope.events.WorkloadLimit;
import io.moescope.events.Topics;
import io.moescope.events.TokenRouting;
import io.moescope.traces.RoutingSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a probe run to Kafka: each {@link TokenRouting} as one Avro record on {@link Topics#ROUTING} keyed by
 * run/request (so a request's tokens stay ordered in one partition), an aggregate-only run's steps on
 * {@link Topics#EXPERT_COUNTS} keyed by run id, lifecycle events on {@link Topics#RUNS} and
 * the run's workload on {@link Topics#WORKLOADS}, keyed by run id. The caller only encodes; a {@link DeliveryQueue} sends from its own thread and spools to a local file while
 * the broker is away, so generation goes on and nothing is lost. The idempotent producer never gives a record up
 * ({@code delivery.timeout.ms} unbounded), so a record retried across a broker outage is written once. A failure that
 * retrying cannot fix (no metadata at all, a rejected record) is remembered, stops further sends and is thrown from
 * {@link #close()} (or the next send) as a {@link DeliveryException} that says how many tokens did arrive, so a run
 * never ends "successfully" with records missing. The exception is the
 * workload: one larger than {@link WorkloadLimit#DEFAULT} is refused by {@link #workload} before it is queued, and
 * one the broker refuses as too large (a topic with a lower {@code max.message.bytes}) is reported by
 * {@link #close()} after every routing record was delivered.
 */
public final class KafkaRoutingSink implements RoutingSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRoutingSink.class);

    private final String bootstrapServers;
    private final Producer<String, byte[]> producer;
    private final EventCodec codec = new EventCodec();
    private final ExpertCacheCodec cacheCodec = new ExpertCacheCodec();
    private final ExpertCountsCodec countsCodec = new ExpertCountsCodec();
    private final WorkloadCodec workloadCodec = new WorkloadCodec();
    private final DeliveryQueue delivery;
    private final Duration closeTimeout;

    /** A sink for a broker given by address, with {@link ProducerCompression#EXTERNAL_BROKER}'s codec. */
    public KafkaRoutingSink(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** As {@link #KafkaRoutingSink(String)}, with producer properties applied over the defaults. */
    public KafkaRoutingSink(String bootstrapServers, Map<String, ?> overrides) {
        this(bootstrapServers, ProducerCompression.EXTERNAL_BROKER, overrides, DeliveryOptions.defaults());
    }

    /**
     * @param compression the batch codec, chosen by {@link ProducerCompression#choose} for where the broker runs
     * @param overrides   producer properties applied over the defaults (idempotent, acks=all, linger 5 ms,
     *                    unbounded delivery timeout)
     */
    public KafkaRoutingSink(String bootstrapServers, ProducerCompression compression, Map<String, ?> overrides,
                            DeliveryOptions options) {
        this.bootstrapServers = bootstrapServers;
        this.closeTimeout = options.closeTimeout();
        Map<String, Object> config = producerConfig(bootstrapServers, compression, overrides);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.delivery = new DeliveryQueue(producer, options.queueBytes(), options.inFlightBytes(),
                new SpoolFile(options.spoolFile()), Set.of(Topics.WORKLOADS));
        SpoolFile.Leftover left = delivery.leftover();
        if (left.records() > 0 || left.droppedBytes() > 0) {
            LOG.warn("The spool file {} holds {} events of an earlier run that stopped before Kafka had them all:"
                    + " sending them first{}", options.spoolFile(), left.records(), left.droppedBytes() == 0 ? ""
                    : " (the last one, cut off by that stop, " + left.droppedBytes() + " bytes, is dropped)");
        }
    }

    /** The producer's settings: the defaults, the codec, then {@code overrides}. */
    static Map<String, Object> producerConfig(String bootstrapServers, ProducerCompression compression,
                                              Map<String, ?> overrides) {
        var config = new HashMap<String, Object>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putAll(compression.producerSettings());
        // A few milliseconds of batching turns one-token decode steps into batches without visible delay.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // The probe's name; a sender that is not the probe names itself in its overrides (the tap: TapProducer,
        // import and replay: RunDelivery, the demo: DemoWorkload).
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "moescope-probe");
        // Retry across broker outages instead of dropping: the spool and the in-flight bound keep memory in check.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        // One request in flight: a request's tokens must arrive in order, also when batches are retried across a
        // broker restart (a reorder was seen once under heavy load with the default of 5, although Kafka documents
        // ordering for up to 5 with idempotence). Batching keeps it cheap: with the queue bounded in bytes, 5 in
        // flight measured within the noise of 1 (80-85k vs 77k events/s, 4-layer top-2 events, 2 busy cores).
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        // A run's workload is one record of up to WorkloadLimit.DEFAULT (prompts and token texts), far above Kafka's
        // 1 MiB default; a record the producer refuses would stop delivery of everything after it.
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, WorkloadLimit.KAFKA_RECORD_BYTES);
        config.putAll(overrides);
        return config;
    }

    /**
     * Bytes the producer has written to the network so far (its {@code outgoing-byte-total} metric: compressed
     * batches plus Kafka protocol overhead).
     */
    public long bytesOnTheWire() {
        return producer.metrics().entrySet().stream()
                .filter(m -> m.getKey().name().equals("outgoing-byte-total")
                        && m.getKey().group().equals("producer-metrics"))
                .mapToLong(m -> ((Number) m.getValue().metricValue()).longValue()).sum();
    }

    /**
     * Fetches the routing topic's metadata now (connecting, and getting the idempotent producer its id), which the
     * first send would otherwise do; a benchmark calls it so that start-up is not counted as the cost of an event.
     */
    public void connect() {
        producer.partitionsFor(Topics.ROUTING);
    }

    /** Sent, spooled and pending record counts, for progress displays. */
    public DeliveryStats stats() {
        return delivery.stats();
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
    public void expertCache(ExpertCacheStep step) {
        send(Topics.EXPERT_CACHE, step.kafkaKey(), cacheCodec.encode(step));
    }

    @Override
    public void expertCounts(ExpertCounts step) {
        send(Topics.EXPERT_COUNTS, step.runId(), countsCodec.encode(step));
    }

    @Override
    public void workload(RunWorkload workload) {
        byte[] encoded = workloadCodec.encode(workload);
        // Refused here, before the delivery queue: Kafka refusing it would stop the routing records queued behind it.
        WorkloadLimit.DEFAULT.require(workload, encoded.length);
        send(Topics.WORKLOADS, workload.runId(), encoded);
    }

    @Override
    public void runFinished(RunLifecycle run) {
        send(Topics.RUNS, run.runId(), codec.encode(run));
    }

    /**
     * Waits until every record is acknowledged (the spool included), closes the producer and throws a
     * {@link DeliveryException} if a send failed or the broker did not take everything within the close timeout; the
     * spool file is then kept.
     */
    @Override
    public void close() {
        boolean drained;
        try {
            drained = delivery.drain(closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        // Read before the forced close below fails every unacknowledged batch with "Producer is closed forcefully",
        // which would hide why delivery stopped.
        Exception failure = delivery.failure();
        try {
            delivery.close();
        } finally {
            producer.close(drained ? Duration.ofSeconds(30) : Duration.ZERO);
        }
        if (failure != null) {
            throw failed(failure);
        }
        if (!drained) {
            // The producer's callbacks have all run (a forced close joins its I/O thread): the counts are final.
            DeliveryStats stats = delivery.stats();
            throw new DeliveryException("Kafka at " + bootstrapServers + " did not acknowledge " + stats.pending()
                    + " records within " + closeTimeout.toSeconds() + " s", spoolNote(stats), stats,
                    tokensAcknowledged(), null);
        }
        throwIfRefused();
    }

    /**
     * Routing records (one per token) given to this sink that the broker acknowledged so far, not an earlier run's
     * ({@link #earlierRunEventsAcknowledged()}); final once {@link #close()} returned.
     */
    public long tokensAcknowledged() {
        return delivery.acknowledged(Topics.ROUTING);
    }

    /**
     * Events of an earlier run that the spool file held when this sink opened it ({@link DeliveryOptions#spoolFile()},
     * a tap or probe restarted on the same file) and that the broker acknowledged, all topics; they are not counted
     * in {@link #tokensAcknowledged()} or {@link #tokensUnconfirmed()}, which are this sink's own.
     */
    public long earlierRunEventsAcknowledged() {
        return delivery.earlierAcknowledged();
    }

    /**
     * Routing records handed to the producer and not acknowledged: after a failed {@link #close()}, those that were
     * on their way when the broker went away. The broker may have written them without its answer arriving, so they
     * may or may not be in the topic (Kafka cannot tell); those never handed over are certainly not.
     */
    public long tokensUnconfirmed() {
        return delivery.handed(Topics.ROUTING) - delivery.acknowledged(Topics.ROUTING);
    }

    private void send(String topic, String key, byte[] value) {
        Exception e = delivery.failure();
        if (e != null) {
            throw failed(e);
        }
        delivery.offer(new Envelope(topic, key, value));
    }

    private DeliveryException failed(Exception e) {
        LOG.error("sending to Kafka at {} failed", bootstrapServers, e);
        DeliveryStats stats = delivery.stats();
        return new DeliveryException("sending routing events to Kafka at " + bootstrapServers + " failed: " + e,
                spoolNote(stats), stats, tokensAcknowledged(), e);
    }

    private String spoolNote(DeliveryStats stats) {
        return stats.spooled() == 0 ? "" : "; the spool file " + delivery.spoolPath() + " keeps those that were spooled";
    }

    /** A workload the broker refused cost the run only its workload: say so, once everything else was delivered. */
    private void throwIfRefused() {
        DeliveryQueue.Refused r = delivery.refused();
        if (r != null) {
            throw new IllegalStateException(String.format(Locale.ROOT, "Kafka at %s refused the run's workload"
                    + " (%,d bytes on %s) as too large: %s; every routing event was delivered, the run has no"
                    + " recorded workload. Start ingest once so that it raises the topic's max.message.bytes to %,d,"
                    + " or run fewer prompts per run", bootstrapServers, r.bytes(), r.topic(), r.reason().getMessage(),
                    WorkloadLimit.KAFKA_RECORD_BYTES), r.reason());
        }
    }

    private static IllegalStateException unreachable(String servers, Throwable cause) {
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new IllegalStateException("Kafka at " + servers + " is unreachable: " + reason, cause);
    }
}
