package io.moescope.ingest.counts;

import io.moescope.events.ExpertCounts;
import io.moescope.events.ExpertCountsCodec;
import io.moescope.events.Topics;
import io.moescope.events.validation.StorableCounts;
import io.moescope.ingest.consumer.BatchIngest;
import io.moescope.ingest.consumer.IngestConfiguration;
import io.moescope.ingest.consumer.JdbcTransactions;
import io.moescope.ingest.validation.RunModel;
import io.moescope.ingest.validation.RunModelDirectory;
import io.moescope.storage.counts.ExpertCountsWriter;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Stores polled {@link ExpertCounts} records (the steps of aggregate-only runs) like routing records are stored: the
 * valid steps before the first bad record in one transaction, with their counts added to the rollups, then the bad
 * one pointed out to the shared error handler, which dead-letters it with its reason. A step is checked against its
 * run's model ({@link StorableCounts}). Offsets are committed after the database (AckMode.BATCH of the shared
 * container factory); a replayed step is stored and counted once.
 */
public class ExpertCountsListener {

    private static final Logger log = LoggerFactory.getLogger(ExpertCountsListener.class);

    private final BatchIngest<ExpertCounts> ingest;
    private final ExpertCountsWriter writer;
    private final JdbcTransactions transactions;

    ExpertCountsListener(ExpertCountsCodec codec, RunModelDirectory models, ExpertCountsWriter writer,
                         JdbcTransactions transactions) {
        this.ingest = new BatchIngest<>("expert counts", codec::decode,
                step -> StorableCounts.check(step, counted(models.resolve(Set.of(step.runId())).get(step.runId()))),
                this::store);
        this.writer = writer;
        this.transactions = transactions;
    }

    @KafkaListener(id = "moescope-ingest-expert-counts", idIsGroup = false, topics = Topics.EXPERT_COUNTS,
            containerFactory = IngestConfiguration.LISTENER_CONTAINER_FACTORY,
            autoStartup = "${moescope.ingest.auto-startup:true}", batch = "true")
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        ingest.ingest(records);
    }

    /** The run's model as the counts rule needs it; null for a run not known yet. */
    private static StorableCounts.CountedModel counted(RunModel model) {
        return model == null ? null : new StorableCounts.CountedModel(model.numExperts(), model.topK(), model::routes);
    }

    private void store(List<ExpertCounts> steps) {
        int inserted = transactions.inTransaction(steps.size() + " expert count steps",
                connection -> writer.write(connection, steps));
        log.debug("Stored {} of {} expert count steps ({} already stored)", inserted, steps.size(),
                steps.size() - inserted);
    }
}
