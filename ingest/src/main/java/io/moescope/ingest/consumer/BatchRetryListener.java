package io.moescope.ingest.consumer;

import io.micrometer.core.instrument.Counter;
import io.moescope.ingest.monitoring.IngestMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.RetryListener;

/**
 * Makes a stalled ingest visible: counts every failed delivery of a whole batch that was not caused by one bad
 * record (so: the database down or refusing) in {@value #COUNTER}. It keeps rising for as long as the batch is
 * retried, which makes it a good alert. Also reports a dead-letter publication that failed (the record is retried).
 */
final class BatchRetryListener implements RetryListener {

    static final String COUNTER = "moescope.ingest.batch.failures";

    private static final Logger log = LoggerFactory.getLogger(BatchRetryListener.class);

    private final Counter failures;
    private final IngestMetrics metrics;

    BatchRetryListener(IngestMetrics metrics) {
        this.failures = Counter.builder(COUNTER)
                .description("Failed deliveries of a whole batch (e.g. database down); the batch is retried")
                .register(metrics.registry());
        this.metrics = metrics;
    }

    @Override
    public void failedDelivery(ConsumerRecords<?, ?> records, Exception exception, int deliveryAttempt) {
        if (Causes.find(exception, BatchListenerFailedException.class) != null) {
            return; // one bad record: DeadLetterRecoverer reports it
        }
        failures.increment();
        Throwable storage = Causes.find(exception, IngestStorageException.class);
        metrics.batchFailed((storage != null ? storage : exception).getMessage());
        log.warn("Batch of {} records failed (attempt {}), retrying after back-off: {}", records.count(),
                deliveryAttempt, (storage != null ? storage : exception).getMessage());
    }

    @Override
    public void failedDelivery(ConsumerRecord<?, ?> record, Exception exception, int deliveryAttempt) {
        // Not a batch: nothing to add to what DeadLetterRecoverer reports.
    }

    @Override
    public void recoveryFailed(ConsumerRecord<?, ?> record, Exception original, Exception failure) {
        log.error("Could not dead-letter {}-{}@{}, it will be retried: {}", record.topic(), record.partition(),
                record.offset(), failure.getMessage(), failure);
    }
}
