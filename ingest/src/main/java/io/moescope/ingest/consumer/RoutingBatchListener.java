package io.moescope.ingest.consumer;

import io.moescope.events.EventCodec;
import io.moescope.events.EventDecodingException;
import io.moescope.events.Topics;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.StorableTokens;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.ingest.copy.WriteResult;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Stores polled {@link TokenRouting} records: decodes them, writes the good ones in one transaction, and leaves
 * the first bad one to the error handler. Offsets are committed after this returns (AckMode.BATCH), that is after
 * the database commit; a crash in between replays records that the writer then skips.
 */
public class RoutingBatchListener {

    private static final Logger log = LoggerFactory.getLogger(RoutingBatchListener.class);

    private final EventCodec codec;
    private final TokenRoutingCopyWriter writer;
    private final JdbcTransactions transactions;

    RoutingBatchListener(EventCodec codec, TokenRoutingCopyWriter writer, JdbcTransactions transactions) {
        this.codec = codec;
        this.writer = writer;
        this.transactions = transactions;
    }

    @KafkaListener(id = "moescope-ingest-routing", idIsGroup = false, topics = Topics.ROUTING,
            containerFactory = IngestConfiguration.LISTENER_CONTAINER_FACTORY,
            autoStartup = "${moescope.ingest.auto-startup:true}", batch = "true")
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        DecodedBatch<TokenRouting> batch = DecodedBatch.decode(records, this::decode);
        if (!batch.events().isEmpty()) {
            WriteResult result = transactions.inTransaction(batch.events().size() + " token routings",
                    connection -> writer.write(connection, batch.events()));
            log.debug("Stored {} of {} token routings ({} already stored)", result.inserted(), result.received(),
                    result.duplicates());
        }
        batch.throwIfBad();
    }

    private TokenRouting decode(byte[] value) {
        TokenRouting token = codec.decodeTokenRouting(value);
        try {
            StorableTokens.check(token);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException("token routing cannot be stored: " + e.getMessage(), e);
        }
        return token;
    }
}
