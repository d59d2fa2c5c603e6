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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
     * Each consumer thread's batch, reused from poll to poll: a full batch's arrays are ~18 MB (20,000 tokens of 32
     * layers), which G1 allocates as humongous objects and reclaims with extra collections when every poll allocates
     * them anew. Bounded by max.poll.records; the listener is shared by the container's consumer threads.
     */
    private final ThreadLocal<TokenBatch> batches = new ThreadLocal<>();

    RoutingBatchListener(EventCodec codec, RunModelDirectory models, TokenRoutingCopyWriter writer,
                         JdbcTransactions transactions, IngestMetrics metrics) {
        this.reader = new TokenRoutingReader(codec);
        this.models = models;
        this.writer = writer;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    @KafkaListener(id = "moescope-ingest-routing", idIsGroup = false, topics = Topics.ROUTING,
            containerFactory = IngestConfiguration.LISTENER_CONTAINER_FACTORY,
            autoStartup = "${moescope.ingest.auto-startup:true}", batch = "true")
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        long start = System.nanoTime();
        TokenBatch batch = emptyBatch(records.size());
        DecodedBatch<TokenRouting> decoded = DecodedBatch.readUntilBad(records,
                value -> reader.readInto(value, batch), List.of());
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

    /** This thread's batch, emptied, with room for at least {@code tokens} tokens. */
    private TokenBatch emptyBatch(int tokens) {
        TokenBatch batch = batches.get();
        if (batch == null || batch.tokenCapacity() < tokens) {
            batch = new TokenBatch(tokens);
            batches.set(batch);
        } else {
            batch.truncate(0);
        }
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
                TokenValidator.check(batch.view(t), known.get(batch.runId(t)));
            } catch (RejectedTokenException e) {
                batch.truncate(t);
                return e;
            }
        }
        return null;
    }
}
