package io.moescope.ingest.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;

class BatchIngestTest {

    private final List<List<String>> writes = new ArrayList<>();
    private final BatchIngest<String> ingest = new BatchIngest<>("word", BatchIngestTest::decode,
            BatchIngestTest::storable, writes::add);

    @Test
    void aGoodBatchIsStoredInOneWrite() {
        ingest.ingest(List.of(record(0, "a"), record(1, "b")));

        assertThat(writes).containsExactly(List.of("a", "b"));
    }

    @Test
    void theEventsBeforeAnUndecodableRecordAreStoredAndTheErrorHandlerIsPointedAtIt() {
        assertThatThrownBy(() -> ingest.ingest(List.of(record(7, "a"), record(8, "?"), record(9, "c"))))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> {
                    assertThat(e.getIndex()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("topic-0@8: not a word");
                });
        assertThat(writes).containsExactly(List.of("a"));
    }

    @Test
    void anUnstorableEventMakesItsRecordBadWithTheReason() {
        assertThatThrownBy(() -> ingest.ingest(List.of(record(0, "too long"))))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> {
                    assertThat(e.getIndex()).isZero();
                    assertThat(e.getCause()).isInstanceOf(EventDecodingException.class)
                            .hasMessage("word cannot be stored: more than 3 letters");
                });
        assertThat(writes).isEmpty();
    }

    @Test
    void aFailedWriteFailsTheWholeBatch() {
        var failing = new BatchIngest<>("word", BatchIngestTest::decode, BatchIngestTest::storable,
                (List<String> words) -> {
                    throw new IngestStorageException("database down", null);
                });

        assertThatThrownBy(() -> failing.ingest(List.of(record(0, "a"), record(1, "?"))))
                .isInstanceOf(IngestStorageException.class).hasMessage("database down");
    }

    private static String decode(byte[] bytes) {
        String word = new String(bytes, StandardCharsets.UTF_8);
        if (word.equals("?")) {
            throw new EventDecodingException("not a word");
        }
        return word;
    }

    private static void storable(String word) {
        if (word.length() > 3) {
            throw new IllegalArgumentException("more than 3 letters");
        }
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        return new ConsumerRecord<>("topic", 0, offset, "key", value.getBytes(StandardCharsets.UTF_8));
    }
}
