package io.moescope.ingest.expertcache;

import io.moescope.events.ExpertCacheCodec;
import io.moescope.events.ExpertCacheStep;
import io.moescope.events.Topics;
import io.moescope.ingest.consumer.BatchIngest;
import io.moescope.ingest.consumer.IngestConfiguration;
import io.moescope.ingest.consumer.IngestStorageException;
import io.moescope.storage.expertcache.ExpertCacheWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Stores polled {@link ExpertCacheStep} records like routing records are stored: the valid steps before the first
 * bad record in one statement, then the bad one pointed out to the shared error handler, which dead-letters it
 * with its reason and counts it. Offsets are committed after the database (AckMode.BATCH of the shared container
 * factory); a replay inserts nothing twice.
 */
public class ExpertCacheListener {

    private static final Logger log = LoggerFactory.getLogger(ExpertCacheListener.class);

    private final BatchIngest<ExpertCacheStep> ingest;
    private final ExpertCacheWriter writer;
    private final DataSource dataSource;

    ExpertCacheListener(ExpertCacheCodec codec, ExpertCacheWriter writer, DataSource dataSource) {
        this.ingest = new BatchIngest<>("expert cache step", codec::decode, StorableSteps::check, this::store);
        this.writer = writer;
        this.dataSource = dataSource;
    }

    @KafkaListener(id = "moescope-ingest-expert-cache", idIsGroup = false, topics = Topics.EXPERT_CACHE,
            containerFactory = IngestConfiguration.LISTENER_CONTAINER_FACTORY,
            autoStartup = "${moescope.ingest.auto-startup:true}", batch = "true")
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        ingest.ingest(records);
    }

    private void store(List<ExpertCacheStep> steps) {
        // one statement: atomic without an explicit transaction
        try (Connection connection = dataSource.getConnection()) {
            int inserted = writer.write(connection, steps);
            log.debug("Stored {} expert cache accesses of {} steps", inserted, steps.size());
        } catch (SQLException e) {
            throw new IngestStorageException("could not store " + steps.size() + " expert cache steps: "
                    + e.getMessage(), e);
        }
    }
}
