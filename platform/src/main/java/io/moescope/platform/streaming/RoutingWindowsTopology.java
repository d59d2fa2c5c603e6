package io.moescope.platform.streaming;

import io.moescope.analytics.alerting.WindowedLoads;
import io.moescope.events.EventCodec;
import io.moescope.events.EventDecodingException;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * moescope.routing -&gt; per run, tumbling buckets of expert counts per layer (event time = the token's routing
 * time), kept in a window store with a changelog, and every update of a bucket handed to {@link WindowedLoads},
 * where the alert evaluator sums buckets into each rule's sliding window. The stream is re-keyed by run (one
 * record per token carrying only its expert ids, so the repartition topic stays small); every instance
 * of the application then owns whole runs, which is how it scales out. Records whose bucket has already closed (an
 * imported or replayed run's old tokens) are counted by {@link LateRecords} and left out before the window
 * aggregation, which would otherwise log a WARN for each of them.
 */
final class RoutingWindowsTopology {

    static final String STORE = "routing-buckets";
    private static final Logger log = LoggerFactory.getLogger(RoutingWindowsTopology.class);

    private RoutingWindowsTopology() {
    }

    static Topology build(Duration bucket, Duration grace, WindowedLoads sink, LateRecords late) {
        var codec = new EventCodec();
        var builder = new StreamsBuilder();
        builder.stream(Topics.ROUTING, Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withTimestampExtractor((record, partition) -> record.timestamp()))
                .flatMap((key, bytes) -> {
                    try {
                        TokenRouting token = codec.decodeTokenRouting(bytes);
                        return List.of(KeyValue.pair(token.runId(), LayerCounts.encode(token)));
                    } catch (EventDecodingException e) {
                        // ingest sends it to the dead-letter topic; the window just leaves it out
                        log.debug("undecodable routing record {} skipped: {}", key, e.getMessage());
                        return List.<KeyValue<String, byte[]>>of();
                    }
                })
                // The same repartition topic as groupByKey named "by-run" made: the filter runs in the aggregation's
                // task, so that it sees the stream time the window store sees.
                .repartition(Repartitioned.<String, byte[]>as("by-run")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()))
                .processValues(() -> new DropClosed(bucket, grace, late))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.ByteArray()))
                .windowedBy(TimeWindows.ofSizeAndGrace(bucket, grace))
                .aggregate(LayerCounts::new, (run, token, counts) -> counts.addEncoded(token),
                        Materialized.<String, LayerCounts>as(
                                Stores.inMemoryWindowStore(STORE, bucket.plus(grace).multipliedBy(2), bucket, false))
                        .withKeySerde(Serdes.String()).withValueSerde(LayerCounts.serde()))
                .toStream()
                .foreach((window, counts) -> counts.byLayer().forEach((layer, c) ->
                        sink.put(window.key(), layer, window.window().startTime(), c)));
        return builder.build();
    }

    /**
     * Passes a record only while its tumbling bucket is open: Kafka Streams drops (and logs) a record whose window
     * end plus grace is at or before the stream time, the largest record time its task has seen. The stream time is
     * per task, like the aggregation's; this instance serves one task.
     */
    private static final class DropClosed implements FixedKeyProcessor<String, byte[], byte[]> {

        private final long bucketMillis;
        private final long graceMillis;
        private final Duration grace;
        private final LateRecords late;
        private FixedKeyProcessorContext<String, byte[]> context;
        private long streamTime = Long.MIN_VALUE;

        DropClosed(Duration bucket, Duration grace, LateRecords late) {
            this.bucketMillis = bucket.toMillis();
            this.graceMillis = grace.toMillis();
            this.grace = grace;
            this.late = late;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, byte[]> record) {
            long time = record.timestamp();
            streamTime = Math.max(streamTime, time);
            long windowEnd = time - Math.floorMod(time, bucketMillis) + bucketMillis;
            if (windowEnd + graceMillis <= streamTime) {
                late.windowClosed(record.key(), time, streamTime, grace);
                return;
            }
            context.forward(record);
        }
    }
}
