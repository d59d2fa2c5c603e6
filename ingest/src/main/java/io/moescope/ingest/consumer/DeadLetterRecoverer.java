package io.moescope.ingest.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.moescope.events.EventDecodingException;
import io.moescope.events.Topics;
import io.moescope.events.validation.RejectReason;
import io.moescope.events.validation.RejectedTokenException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Sends records that are not valid moescope events to {@link Topics#ROUTING_DEAD_LETTER}, unchanged, with the
 * reason in the {@value #REASON_HEADER} header and its {@link RejectReason} in {@value #KIND_HEADER} (besides
 * spring-kafka's {@code kafka_dlt-*} headers: original topic, partition, offset, exception), and counts them in
 * {@value #COUNTER}, tagged with the source topic and the reason.
 *
 * <p>Only decoding and validation failures are dead-lettered. Anything else (the database, say) is refused here, so the error
 * handler retries the record instead of losing it. A record counts once it is acknowledged by the broker.
 *
 * <p>Owns its producer (String keys, byte[] values) rather than declaring a KafkaTemplate bean, which would switch
 * off the application's auto-configured one.
 */
public final class DeadLetterRecoverer implements ConsumerAwareRecordRecoverer, DisposableBean {

    public static final String REASON_HEADER = "moescope-dlq-reason";
    public static final String KIND_HEADER = "moescope-dlq-kind";
    public static final String COUNTER = "moescope.ingest.dead.letters";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecoverer.class);

    private final DefaultKafkaProducerFactory<String, byte[]> producerFactory;
    private final DeadLetterPublishingRecoverer publisher;
    private final MeterRegistry registry;

    DeadLetterRecoverer(Map<String, Object> producerProperties, MeterRegistry registry) {
        var properties = new HashMap<>(producerProperties);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.producerFactory = new DefaultKafkaProducerFactory<>(properties);
        // Partition -1: let the producer choose by key, so the dead-letter topic needs no particular partition count.
        this.publisher = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(producerFactory),
                (record, exception) -> new TopicPartition(Topics.ROUTING_DEAD_LETTER, -1)) {
            @Override
            protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
                    TopicPartition partition, Headers headers, byte[] key, byte[] value) {
                return super.createProducerRecord(record, partition, headers, key,
                        value == null ? bytesOf(record.value()) : value);
            }
        };
        this.publisher.setHeadersFunction(DeadLetterRecoverer::reasonHeader);
        this.registry = registry;
        // Registered up front, so that a dashboard or an alert sees 0 rather than no series at all.
        for (RejectReason reason : RejectReason.values()) {
            counter(Topics.ROUTING, reason);
        }
        counter(Topics.RUNS, RejectReason.UNDECODABLE);
        counter(Topics.RUNS, RejectReason.UNKNOWN_SCHEMA);
    }

    private Counter counter(String topic, RejectReason reason) {
        return Counter.builder(COUNTER)
                .description("Records not stored because they are not valid moescope events, sent to "
                        + Topics.ROUTING_DEAD_LETTER)
                .tag("topic", topic)
                .tag("reason", reason.tag())
                .register(registry);
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
        EventDecodingException reason = decodingFailure(exception);
        if (reason == null) {
            throw new IllegalStateException("not dead-lettering " + where(record)
                    + ": it did not fail to decode, it will be retried", exception);
        }
        publisher.accept(record, consumer, exception); // waits for the broker's ack; throws if the send fails
        counter(record.topic(), RejectedTokenException.reasonOf(reason)).increment();
        log.warn("Dead-lettered {}: {}", where(record), reason.getMessage());
    }

    @Override
    public void destroy() {
        producerFactory.destroy();
    }

    /**
     * The bytes of a record's value as the producer's {@code ByteArraySerializer} takes them: the routing listener's
     * values are {@link ByteBuffer}s (the fetched bytes, not copied), the other listeners' {@code byte[]}.
     */
    static byte[] bytesOf(Object value) {
        // Kafka's own copy of a buffer's remaining bytes, which leaves its position where it was
        return value instanceof ByteBuffer buffer ? Utils.toArray(buffer) : (byte[]) value;
    }

    private static Headers reasonHeader(ConsumerRecord<?, ?> record, Exception exception) {
        EventDecodingException reason = decodingFailure(exception);
        String text = reason == null ? String.valueOf(exception) : reason.getMessage();
        String kind = reason == null ? "unknown" : RejectedTokenException.reasonOf(reason).tag();
        return new RecordHeaders()
                .add(REASON_HEADER, text.getBytes(StandardCharsets.UTF_8))
                .add(KIND_HEADER, kind.getBytes(StandardCharsets.UTF_8));
    }

    static EventDecodingException decodingFailure(Throwable exception) {
        return Causes.find(exception, EventDecodingException.class);
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
