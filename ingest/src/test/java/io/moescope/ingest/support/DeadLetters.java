package io.moescope.ingest.support;

import static org.awaitility.Awaitility.await;

import io.moescope.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/** What ingest dead-lettered, read back from {@link Topics#ROUTING_DEAD_LETTER} as an operator would. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * Reads the dead-letter topic from its start, as consumer group {@code group}, until {@code expected} records
     * whose key passes {@code key} came; fails when they do not within {@code patience}.
     */
    public static List<ConsumerRecord<String, byte[]>> read(EmbeddedKafkaBroker broker, String group,
                                                            Predicate<String> key, int expected, Duration patience) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(group, "false", broker);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var found = new ArrayList<ConsumerRecord<String, byte[]>>();
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ROUTING_DEAD_LETTER));
            await().atMost(patience).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && key.test(r.key())) {
                        found.add(r);
                    }
                });
                return found.size() >= expected;
            });
        }
        return found;
    }

    /** The record's last header {@code name} as text, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
