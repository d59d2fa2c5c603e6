package io.moescope.benchmarks.ingest;

import io.moescope.ingest.consumer.IngestConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.context.annotation.Import;

/** The ingest wiring and only what it needs (DataSource, Kafka), for the benchmark's full-path measurement. */
@SpringBootConfiguration
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, KafkaAutoConfiguration.class})
@Import(IngestConfiguration.class)
class IngestBenchApp {
}
