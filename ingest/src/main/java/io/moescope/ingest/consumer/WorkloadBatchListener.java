package io.moescope.ingest.consumer;

import io.moescope.events.RunWorkload;
import io.moescope.events.Topics;
import io.moescope.events.WorkloadCodec;
import io.moescope.storage.workload.WorkloadWriter;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Stores polled {@link RunWorkload} records in one transaction per batch. Bad records are handled like
 * {@link RoutingBatchListener}'s: the good ones before are stored, the bad one is dead-lettered.
 */
public class WorkloadBatchListener {

    private static final Logger log = LoggerFactory.getLogger(WorkloadBatchListener.class);

    private final BatchIngest<RunWorkload> ingest;
    private final WorkloadWriter writer;
    private final JdbcTransactions transactions;

    WorkloadBatchListener(WorkloadCodec codec, WorkloadWriter writer, JdbcTransactions transactions) {
        this.ingest = new BatchIngest<>("run workload", codec::decode, WorkloadWriter::checkStorable, this::store);
        this.writer = writer;
        this.transactions = transactions;
    }

    @KafkaListener(id = "moescope-ingest-workloads", idIsGroup = false, topics = Topics.WORKLOADS,
            containerFactory = IngestConfiguration.LISTENER_CONTAINER_FACTORY,
            autoStartup = "${moescope.ingest.auto-startup:true}", batch = "true")
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        ingest.ingest(records);
    }

    private void store(List<RunWorkload> workloads) {
        transactions.writeEach(workloads.size() + " run workloads", workloads, writer::write);
        workloads.forEach(w -> log.info("Run {}: workload of {} requests stored", w.runId(), w.requests().size()));
    }
}
