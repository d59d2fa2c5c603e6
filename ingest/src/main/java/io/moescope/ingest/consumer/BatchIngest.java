package io.moescope.ingest.consumer;

import io.moescope.events.EventDecodingException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What every event listener of ingest does with a polled batch, once: decode the records up to the first bad one
 * ({@link DecodedBatch}), store the events before it in one write, then point the error handler at the bad one, which
 * dead-letters it with its reason and redelivers the rest. A write that fails throws, so the whole batch is retried
 * and nothing is acknowledged (AckMode.BATCH commits offsets only after the listener returns). Each listener says only
 * what differs: how a record is decoded, what makes an event unstorable and how a batch is written.
 *
 * @param event    what one event is called in reasons ("run lifecycle")
 * @param decoder  bytes to event; throws {@link EventDecodingException} for a record that is not one
 * @param storable throws {@link IllegalArgumentException} for an event the database cannot hold, which makes its
 *                 record bad ("run lifecycle cannot be stored: ...") rather than failing every retry of the batch
 * @param store    writes the events, in order, all or none
 */
public record BatchIngest<T>(String event, Function<byte[], T> decoder, Consumer<T> storable,
                             Consumer<List<T>> store) {

    public void ingest(List<ConsumerRecord<String, byte[]>> records) {
        DecodedBatch<T> batch = DecodedBatch.decode(records, this::decode);
        if (!batch.events().isEmpty()) {
            store.accept(batch.events());
        }
        batch.throwIfBad();
    }

    private T decode(byte[] value) {
        T decoded = decoder.apply(value);
        try {
            storable.accept(decoded);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException(event + " cannot be stored: " + e.getMessage(), e);
        }
        return decoded;
    }
}
