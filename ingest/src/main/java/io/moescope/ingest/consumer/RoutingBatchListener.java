package io.moescope.ingest.consumer;

import io.moescope.events.EventCodec;
import io.moescope.events.TokenRouting;
import io.moescope.events.TokenRoutingReader;
import io.moescope.events.Topics;
import io.moescope.events.validation.RejectedTokenException;
import io.moescope.ingest.copy.TokenBatch;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.copy.WriteResult;
import io.moescope.ingest.monitoring.IngestMetrics;
import io.moescope.ingest.validation.RunModel;
import io.moescope.ingest.validation.RunModelDirectory;
import io.moescope.ingest.validation.TokenValidator;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Stores polled {@link TokenRouting} records: decodes them, validates them against their run's model
 * ({@link TokenValidator}), writes the good ones before the first bad one in one transaction, and leaves that bad
 * one to the error handler, which dead-letters it and redelivers the rest. Offsets are committed after this returns
 * (AckMode.BATCH), that is after the database commit; a crash in between replays records that the writer then
 * skips.
 */
public class RoutingBatchListener {

    private static final Logger log = LoggerFactory.getLogger(RoutingBatchListener.class);

    private final TokenRoutingReader reader;
    private final RunModelDirectory models;
    private final TokenRoutingCopyWriter writer;
    private final JdbcTransactions transactions;
    private final IngestMetrics metrics;
    /**
     * Batches not in use, reused from poll to poll: a full batch's arrays are ~25 MB (20,000 tokens of 32 layers),
     * which G1 allocates as humongous objects and reclaims with extra collections when every poll allocates them
     * anew. A consumer thread takes one for a poll and puts it back, so there are at most as many as consumer threads
     * have been at work at once, each bounded by max.poll.records. Not per thread: the container starts new consumer
     * threads whenever it is stopped and started again, and those would otherwise allocate every batch again.
     */
    private final Queue<TokenBatch> idleBatches = new ConcurrentLinkedQueue<>();

    RoutingBatchListener(EventCodec codec, RunModelDirectory models, TokenRoutingCopyWriter writer,
                         JdbcTransactions transactions, IngestMetrics metrics) {
        this.reader = new TokenRoutingReader(codec);
        this.models = models;
        this.writer = writer;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    @KafkaListener(id = "moescope-ingest-routing", idIsGroup = false, topics = Topics.ROUTING,
            containerFactory = IngestConfiguration.ROUTING_CONTAINER_FACTORY,
            autoStartup = "${moescope.ingest.auto-startup:true}", batch = "true")
    public void onBatch(List<ConsumerRecord<String, ByteBuffer>> records) {
        long start = System.nanoTime();
        TokenBatch batch = emptyBatch(records.size());
        try {
            store(records, batch, start);
        } finally {
            idleBatches.add(batch);
        }
    }

    private void store(List<ConsumerRecord<String, ByteBuffer>> records, TokenBatch batch, long start) {
        DecodedBatch<TokenRouting> decoded = DecodedBatch.readUntilBad(records, value -> read(value, batch),
                List.of());
        RejectedTokenException invalid = validate(batch);
        if (invalid != null) {
            // validate() cut the batch before the first invalid token, which comes before any undecodable record
            decoded = new DecodedBatch<>(List.of(), batch.size(), records.get(batch.size()), invalid);
        }
        if (!batch.isEmpty()) {
            long decodedAt = System.nanoTime();
            WriteResult result = transactions.inTransaction(batch.size() + " token routings",
                    connection -> writer.write(connection, batch));
            long end = System.nanoTime();
            metrics.batchStored(result.received(), result.inserted(), result.insertedDecisions(), end - start);
            log.debug("Stored {} of {} token routings ({} already stored): decoded and validated in {} ms, written"
                    + " in {} ms", result.inserted(), result.received(), result.duplicates(),
                    (decodedAt - start) / 1_000_000, (end - decodedAt) / 1_000_000);
        }
        decoded.throwIfBad();
    }

    /**
     * Reads a record's value where it lies: in the fetched bytes, which Kafka's {@code ByteBufferDeserializer} hands
     * out as a slice without copying them (a copy of every value was ~15 % of what the consumer threads allocated).
     * The buffer's position is left as it is, so a dead-lettered record is sent on whole.
     */
    private void read(ByteBuffer value, TokenBatch batch) {
        if (value != null && value.hasArray()) {
            reader.readInto(value.array(), value.arrayOffset() + value.position(), value.remaining(), batch);
        } else {
            // no record (the reader refuses it by name), or a buffer off the heap: a copy, its position left as it is
            reader.readInto(value == null ? null : Utils.toArray(value), batch);
        }
    }

    /** An idle batch, emptied, with room for at least {@code tokens} tokens. */
    private TokenBatch emptyBatch(int tokens) {
        TokenBatch batch = idleBatches.poll();
        if (batch == null || batch.tokenCapacity() < tokens) {
            return new TokenBatch(tokens);
        }
        batch.truncate(0);
        return batch;
    }

    /**
     * Validates the batch's tokens against their runs' models; cuts the batch before the first invalid token.
     *
     * @return why that token is invalid, or null when all are valid
     */
    private RejectedTokenException validate(TokenBatch batch) {
        Set<String> runIds = new HashSet<>();
        String last = null;
        for (int t = 0; t < batch.size(); t++) {
            if (!batch.runId(t).equals(last)) {
                last = batch.runId(t);
                runIds.add(last);
            }
        }
        Map<String, RunModel> known = runIds.isEmpty() ? Map.of() : models.resolve(runIds);
        for (int t = 0; t < batch.size(); t++) {
            try {
                TokenValidator.check(batch.view(t), batch.wireRouting(t), known.get(batch.runId(t)));
            } catch (RejectedTokenException e) {
                batch.truncate(t);
                return e;
            }
        }
        return null;
    }
}
