package io.moescope.ingest.consumer;

import io.moescope.events.EventDecodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * A polled batch decoded up to its first bad record: the events before it, and the bad record's index and reason.
 * The listener stores {@link #events()} and then calls {@link #throwIfBad()}, so the error handler commits the
 * stored records, dead-letters the bad one and redelivers the rest (docs/operations.md, "Ingest and storage").
 *
 * @param events      decoded events of the records before {@code badIndex} (all of them when there is none)
 * @param badIndex    index of the first record that failed to decode, -1 when none did
 * @param badRecord   that record, or null
 * @param badReason   why it failed, or null; any exception the decoder throws counts as the record's fault
 */
public record DecodedBatch<T>(List<T> events, int badIndex, ConsumerRecord<String, ?> badRecord,
                       EventDecodingException badReason) {

    public static <T> DecodedBatch<T> decode(List<ConsumerRecord<String, byte[]>> records, Function<byte[], T> decoder) {
        var events = new ArrayList<T>(records.size());
        return readUntilBad(records, value -> events.add(decoder.apply(value)), events);
    }

    /**
     * Hands the records' values to {@code reader} one by one, up to the first it refuses: for readers that keep what
     * they decode themselves (in columns, say).
     *
     * @param events what {@link #events()} is to return
     */
    public static <T, V> DecodedBatch<T> readUntilBad(List<ConsumerRecord<String, V>> records, Consumer<V> reader,
                                                      List<T> events) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, V> record = records.get(i);
            try {
                reader.accept(record.value());
            } catch (EventDecodingException e) {
                return new DecodedBatch<>(events, i, record, e);
            } catch (RuntimeException e) {
                // Decoding touches nothing but the record's bytes, so any failure is the record's. Avro lets a few
                // exceptions through the codec (an absurd collection length raises UnsupportedOperationException);
                // left as they are, the error handler would retry such a record forever.
                return new DecodedBatch<>(events, i, record,
                        new EventDecodingException("truncated or corrupt record: " + e, e));
            }
        }
        return new DecodedBatch<>(events, -1, null, null);
    }

    /** Points the error handler at the bad record, if there is one. */
    public void throwIfBad() {
        if (badIndex >= 0) {
            throw new BatchListenerFailedException(badRecord.topic() + "-" + badRecord.partition() + "@"
                    + badRecord.offset() + ": " + badReason.getMessage(), badReason, badIndex);
        }
    }
}
