package io.moescope.ingest.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.EventDecodingException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DecodedBatchTest {

    @Test
    void anyExceptionFromDecodingMakesTheRecordBadSoThatItIsDeadLetteredNotRetriedForever() {
        var records = List.of(record(0, "ok"), record(1, "boom"), record(2, "ok"));

        DecodedBatch<String> batch = DecodedBatch.decode(records, bytes -> {
            if (new String(bytes).equals("boom")) {
                throw new UnsupportedOperationException("Cannot read collections larger than 2147483639 items");
            }
            return new String(bytes);
        });

        assertThat(batch.events()).containsExactly("ok");
        assertThat(batch.badIndex()).isEqualTo(1);
        assertThat(batch.badReason()).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("truncated or corrupt record: java.lang.UnsupportedOperationException");
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        return new ConsumerRecord<>("topic", 0, offset, "key", value.getBytes());
    }
}
