package io.moescope.ingest.consumer;

import io.moescope.events.EventCodec;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.copy.WriteResult;
import io.moescope.ingest.monitoring.IngestMetrics;
import io.moescope.ingest.validation.RejectedTokenException;
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

    private final EventCodec codec;
    private final RunModelDirectory models;
    private final TokenRoutingCopyWriter writer;
    private final JdbcTransactions transactions;
    private final IngestMetrics metrics;

    RoutingBatchListener(EventCodec codec, RunModelDirectory models, TokenRoutingCopyWriter writer,
                         JdbcTransactions transactions, IngestMetrics metrics) {
        this.codec = codec;
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
        DecodedBatch<TokenRouting> batch = validate(DecodedBatch.decode(records, codec::decodeTokenRouting), records);
        if (!batch.events().isEmpty()) {
            WriteResult result = transactions.inTransaction(batch.events().size() + " token routings",
                    connection -> writer.write(connection, batch.events()));
            metrics.batchStored(result.received(), result.inserted(), result.insertedDecisions(),
                    System.nanoTime() - start);
            log.debug("Stored {} of {} token routings ({} already stored)", result.inserted(), result.received(),
                    result.duplicates());
        }
        batch.throwIfBad();
    }

    /** Cuts the decoded batch at its first token that is invalid for its run's model, if that comes first. */
    private DecodedBatch<TokenRouting> validate(DecodedBatch<TokenRouting> decoded,
                                                List<ConsumerRecord<String, byte[]>> records) {
        List<TokenRouting> events = decoded.events();
        Set<String> runIds = new HashSet<>();
        String last = null;
        for (TokenRouting token : events) {
            if (!token.runId().equals(last)) {
                last = token.runId();
                runIds.add(last);
            }
        }
        Map<String, RunModel> known = runIds.isEmpty() ? Map.of() : models.resolve(runIds);
        for (int i = 0; i < events.size(); i++) {
            TokenRouting token = events.get(i);
            try {
                TokenValidator.check(token, known.get(token.runId()));
            } catch (RejectedTokenException e) {
                return new DecodedBatch<>(events.subList(0, i), i, records.get(i), e);
            }
        }
        return decoded;
    }
}
