package io.moescope.benchmarks.ingest;

import io.moescope.events.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * {@link IngestBenchmark} from the benchmarks module, for tuning without building the application:
 * {@code mvn -o -q -pl benchmarks -am test -Dtest=IngestBenchmarkRun -Dsurefire.failIfNoSpecifiedTests=false
 * -Dmoescope.benchmark=true [-Dbench.decisions=2000000 -Dbench.heatmap=10000000 -Dbench.poll=2000
 * -Dbench.concurrency=3]}. The application's {@code ./moescope bench-ingest} runs the same code.
 */
@EnabledIfSystemProperty(named = "moescope.benchmark", matches = "true")
class IngestBenchmarkRun {

    @Test
    void run() throws Exception {
        var broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.ROUTING, Topics.RUNS, Topics.ROUTING_DEAD_LETTER);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            var options = new IngestBenchmark.Options(Long.getLong("bench.decisions", 2_000_000),
                    Long.getLong("bench.heatmap", 10_000_000), 32, 64, 2, 3,
                    Integer.getInteger("bench.poll", 2000), Integer.getInteger("bench.concurrency", 3),
                    Integer.getInteger("bench.repeats", 3), java.util.Map.of());
            new IngestBenchmark(new IngestBenchmark.Servers(postgres.getJdbcUrl("postgres", "postgres"), "postgres",
                    "", broker.getBrokersAsString()), options, System.out).run();
        } finally {
            broker.destroy();
        }
    }
}
