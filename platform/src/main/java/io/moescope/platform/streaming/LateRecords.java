package io.moescope.platform.streaming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts routing records that arrive after their bucket has closed (older than the stream time minus the grace):
 * imported and replayed traces are old on purpose, so these are expected, not a fault. Kafka Streams would log one
 * WARN per such record (tens of thousands per import); we count them in
 * {@code moescope_streaming_late_records_total{reason}} and say it once per run.
 */
final class LateRecords {

    static final String METER = "moescope.streaming.late.records";
    static final String WINDOW_CLOSED = "window_closed";

    private static final Logger log = LoggerFactory.getLogger(LateRecords.class);

    private final Counter windowClosed;
    /** Runs already reported; one entry per run with late records, far fewer than the records themselves. */
    private final Set<String> reportedRuns = ConcurrentHashMap.newKeySet();

    LateRecords(MeterRegistry registry) {
        this.windowClosed = Counter.builder(METER).tag("reason", WINDOW_CLOSED)
                .description("Routing records left out of the streaming windows because their bucket had closed")
                .register(registry);
    }

    void windowClosed(String runId, long recordMillis, long streamMillis, Duration grace) {
        windowClosed.increment();
        if (reportedRuns.add(runId)) {
            log.info("Run {} sends tokens older than the streaming windows keep (first one {} ms behind the stream "
                    + "time, grace {}): left out of alert windows and live gauges, counted in "
                    + "moescope_streaming_late_records_total; expected for imported and replayed runs",
                    runId, streamMillis - recordMillis, grace);
        }
    }
}
