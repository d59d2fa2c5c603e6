package io.moescope.probe.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.EventCodec;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer that cannot fetch a topic's metadata within {@code max.block.ms} (the broker away before the first
 * record of the topic, or again after the topic's metadata went idle) waits for the broker like any other outage:
 * the timeout used to stop delivery for good, and a tap recorded nothing more until restarted.
 */
class MetadataWaitTest {

    private static final int TOKENS = 20;

    @TempDir
    Path dir;

    @Test
    void recordsWhoseTopicMetadataTimedOutAreSentOnceTheBrokerComesBack() throws Exception {
        try (var broker = new RestartableBroker(dir.resolve("kafka"))) {
            var sink = new KafkaRoutingSink(broker.bootstrapServers(), ProducerCompression.EXTERNAL_BROKER,
                    Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 200),
                    DeliveryOptions.defaults().withSpoolFile(dir.resolve("spool.bin")));
            for (int i = 0; i < TOKENS; i++) {
                sink.token(token(i));
            }
            // several metadata waits time out meanwhile
            Thread.sleep(1500);
            assertThat(sink.stats().sent()).isZero();
            broker.start();
            sink.close();

            assertThat(sink.stats().sent()).isEqualTo(TOKENS);
            List<Integer> delivered = broker.consume(Topics.ROUTING, TOKENS).stream()
                    .map(v -> new EventCodec().decodeTokenRouting(v).tokenIndex()).toList();
            assertThat(delivered).isEqualTo(IntStream.range(0, TOKENS).boxed().toList());
        }
    }

    private static TokenRouting token(int index) {
        return new TokenRouting("run", "req", index, 5, Phase.DECODE, 1L,
                List.of(new RouterDecision(0, new int[] {1, 2}, new float[] {0.6f, 0.4f}, 1.2f)));
    }
}
