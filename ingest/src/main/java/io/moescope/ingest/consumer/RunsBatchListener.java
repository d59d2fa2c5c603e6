package io.moescope.ingest.consumer;

import io.moescope.events.EventCodec;
import io.moescope.events.RunLifecycle;
import io.moescope.events.Topics;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Stores polled {@link RunLifecycle} records in one transaction per batch, in record order (a run's events share a
 * key, hence a partition, hence their order). Bad records are handled like {@link RoutingBatchListener}'s.
 *
 * <p>A consumer group of its own (the routing group's id + {@value IngestConfiguration#RUNS_GROUP_SUFFIX}): a
 * routing consumer may wait a few seconds for a run's STARTED event ({@link io.moescope.ingest.validation
 * .RunModelDirectory}), and a rebalance of a group waits for every member; in one group, that wait would hold up
 * the very consumer that stores the STARTED event.
 */
public class RunsBatchListener {

    private static final Logger log = LoggerFactory.getLogger(RunsBatchListener.class);

    private final BatchIngest<RunLifecycle> ingest;
    private final RunLifecycleWriter writer;
    private final JdbcTransactions transactions;

    RunsBatchListener(EventCodec codec, RunLifecycleWriter writer, JdbcTransactions transactions) {
        this.ingest = new BatchIngest<>("run lifecycle", codec::decodeRunLifecycle, RunLifecycleWriter::checkStorable,
                this::store);
        this.writer = writer;
        this.transactions = transactions;
    }

    @KafkaListener(id = "moescope-ingest-runs", idIsGroup = false, topics = Topics.RUNS,
            groupId = "#{'${spring.kafka.consumer.group-id:" + IngestConfiguration.DEFAULT_GROUP_ID + "}'"
                    + " + '" + IngestConfiguration.RUNS_GROUP_SUFFIX + "'}",
            containerFactory = IngestConfiguration.LISTENER_CONTAINER_FACTORY,
            autoStartup = "${moescope.ingest.auto-startup:true}", batch = "true")
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        ingest.ingest(records);
    }

    private void store(List<RunLifecycle> events) {
        transactions.writeEach(events.size() + " run lifecycle events", events, writer::write);
        events.forEach(e -> log.info("Run {} ({}) {}", e.runId(), e.runName(), e.status()));
    }
}
