package io.moescope.ingest.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Measures the ingest consumer groups' lag per partition from the broker's point of view (log-end offset minus the
 * group's committed offset; the log start where the group has not committed yet), every {@code interval}, with an
 * admin client of its own. Independent of the consumer threads, so it sees lag grow while they are blocked or dead,
 * and it counts what is committed, i.e. stored.
 *
 * <p>Publishes the gauge {@value #LAG} (tags {@code topic}, {@code partition}; Prometheus
 * {@code moescope_ingest_consumer_lag_records}) and feeds {@link LagHistory}.
 */
public final class ConsumerLagMonitor implements SmartLifecycle {

    public static final String LAG = "moescope.ingest.consumer.lag";

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMonitor.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final Map<String, Object> adminProperties;
    private final Map<String, List<String>> topicsByGroup;
    private final MeterRegistry registry;
    private final LagHistory history;
    private final Clock clock;
    private final Duration interval;
    private final Map<TopicPartition, AtomicLong> lagGauges = new ConcurrentHashMap<>();
    private volatile Admin admin;
    private volatile ScheduledExecutorService scheduler;
    private volatile String lastError;

    /** @param topicsByGroup the consumer groups to watch, each with the topics it consumes */
    public ConsumerLagMonitor(Map<String, Object> adminProperties, Map<String, List<String>> topicsByGroup,
                              MeterRegistry registry, LagHistory history, Clock clock, Duration interval) {
        this.adminProperties = Map.copyOf(adminProperties);
        this.topicsByGroup = Map.copyOf(topicsByGroup);
        this.registry = registry;
        this.history = history;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        admin = Admin.create(adminProperties);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "moescope-ingest-lag");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::measureQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Why the last measurement failed (Kafka unreachable, say), or null when it succeeded. */
    public String lastError() {
        return lastError;
    }

    /** Lag per partition as last measured. */
    public Map<TopicPartition, Long> lagByPartition() {
        var lag = new HashMap<TopicPartition, Long>();
        lagGauges.forEach((tp, value) -> lag.put(tp, value.get()));
        return lag;
    }

    private void measureQuietly() {
        try {
            measure();
            lastError = null;
        } catch (Exception e) {
            if (lastError == null) {
                log.warn("Could not measure the consumer lag of groups {}: {}", topicsByGroup.keySet(), e.toString());
            }
            lastError = e.toString();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void measure() throws Exception {
        Admin client = admin;
        long totalLag = 0;
        long totalCommitted = 0;
        for (var group : topicsByGroup.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group.getKey())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Collection<TopicDescription> descriptions = client.describeTopics(group.getValue()).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values();
            List<TopicPartition> partitions = new ArrayList<>();
            descriptions.forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(),
                    p.partition()))));
            Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(client, partitions, OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(client, partitions, OffsetSpec.earliest());
            for (TopicPartition tp : partitions) {
                long end = ends.get(tp).offset();
                long start = starts.get(tp).offset();
                OffsetAndMetadata offset = committed.get(tp);
                long position = offset == null ? start : Math.max(start, offset.offset());
                long lag = Math.max(0, end - position);
                gauge(tp).set(lag);
                totalLag += lag;
                totalCommitted += position;
            }
        }
        history.record(new LagHistory.Sample(clock.instant(), totalLag, totalCommitted));
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin client, List<TopicPartition> partitions,
                                                                      OffsetSpec spec) throws Exception {
        var request = new HashMap<TopicPartition, OffsetSpec>();
        partitions.forEach(tp -> request.put(tp, spec));
        return client.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private AtomicLong gauge(TopicPartition tp) {
        return lagGauges.computeIfAbsent(tp, key -> {
            var value = new AtomicLong();
            Gauge.builder(LAG, value, AtomicLong::get)
                    .description("Records in the partition not yet stored by ingest (log end minus committed offset)")
                    .baseUnit("records")
                    .tags(Tags.of("topic", key.topic(), "partition", String.valueOf(key.partition())))
                    .register(registry);
            return value;
        });
    }
}
