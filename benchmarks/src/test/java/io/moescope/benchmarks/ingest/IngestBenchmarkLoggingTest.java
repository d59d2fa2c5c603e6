package io.moescope.benchmarks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestBenchmarkLoggingTest {

    /**
     * Each pass starts the listener container paused on purpose, and spring-kafka warns once per consumer and pass
     * that Kafka's rebalance resumed it and it paused it again (67 lines in one run): expected here, so not logged.
     */
    @Test
    void theBenchmarksIngestDoesNotWarnThatARebalanceResumedItsPausedConsumers() {
        var benchmark = new IngestBenchmark(new IngestBenchmark.Servers("jdbc:postgresql://db.example/bench", "u", "p",
                "kafka.example:9092"), new IngestBenchmark.Options(1, 1, 4, 8, 2, 3, 100, 3, 1, Map.of()), System.out);

        assertThat(benchmark.ingestProperties("moescope-bench-1")).containsEntry(
                "logging.level.org.springframework.kafka.listener.KafkaMessageListenerContainer", "ERROR");
    }
}
