package io.moescope.cli;

import ch.qos.logback.classic.Level;
import io.moescope.benchmarks.ingest.IngestBenchmark;
import io.moescope.ingest.consumer.IngestConfiguration;
import io.moescope.platform.embedded.EmbeddedKafkaBroker;
import io.moescope.platform.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench-ingest", mixinStandardHelpOptions = true,
        description = {"Measure ingest against its physical limit, in one run on this machine:",
            "(1) raw binary COPY of N pre-encoded decisions into token_routing vs (2) the same decisions already in "
                + "Kafka -> ingest -> committed rows (target: (2) >= 0.8 x (1)); for reference also (1'), the raw COPY "
                + "split over one connection per consumer thread;",
            "then the heatmap of a run of H decisions from the rollups vs from the raw rows, and the bytes stored "
                + "per decision.",
            "Starts a scratch embedded PostgreSQL and Kafka broker (deleted afterwards) unless --jdbc-url and "
                + "--bootstrap-servers point at servers it may fill and truncate."})
final class BenchIngestCommand implements Callable<Integer>, OptionBounds.Bounded {

    /** Topic partitions, pairs and poll sizes beyond which the bench measures nothing new. */
    private static final int MAX_PARTITIONS = 256;
    private static final int MAX_REPEATS = 1_000;
    private static final int MAX_POLL_RECORDS = 1_000_000;

    @Option(names = "--decisions", defaultValue = "2000000", paramLabel = "N",
            description = "Decisions (token x layer) for the write-path comparison (default: ${DEFAULT-VALUE}).")
    private long decisions;

    @Option(names = "--heatmap-decisions", defaultValue = "10000000", paramLabel = "H",
            description = "Decisions of the run the heatmap queries read (default: ${DEFAULT-VALUE}).")
    private long heatmapDecisions;

    @Mixin
    private RunShapeOptions shape;

    @Option(names = "--experts", defaultValue = "64", description = "Experts per layer (default: ${DEFAULT-VALUE}).")
    private int experts;

    @Option(names = "--partitions", defaultValue = "3",
            description = "Partitions of the routing topic (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--max-poll-records", paramLabel = "TOKENS",
            description = "Tokens per ingest batch (default: ingest's default, "
                    + IngestConfiguration.DEFAULT_MAX_POLL_RECORDS + ").")
    private Integer maxPollRecords;

    @Option(names = "--concurrency", paramLabel = "THREADS",
            description = "Ingest consumer threads (default: ingest's default, "
                    + IngestConfiguration.DEFAULT_CONCURRENCY + ").")
    private Integer concurrency;

    @Option(names = "--repeats", defaultValue = "5",
            description = "Pairs of (1) and (2) after a warm-up, alternating which goes first; the median of the pairs'"
                    + " ratios is reported with their range (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--jdbc-url", description = "A scratch PostgreSQL database (its moescope tables are truncated).")
    private String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "postgres", description = "(default: ${DEFAULT-VALUE})")
    private String user;

    @Option(names = "--db-password", defaultValue = "", description = "(default: empty)")
    private String password;

    @Mixin
    private ScratchKafkaOption kafka;

    /** The codec the run is produced with, as a probe would send it: ingest's side of the wire. */
    @Mixin
    private CompressionOption compression;

    @Override
    public void checkBounds() {
        OptionBounds.between("--decisions", decisions, 1, OptionBounds.MAX_DECISIONS);
        OptionBounds.between("--heatmap-decisions", heatmapDecisions, 1, OptionBounds.MAX_DECISIONS);
        OptionBounds.experts("--experts", experts);
        shape.checkBounds(experts);
        OptionBounds.between("--partitions", partitions, 1, MAX_PARTITIONS);
        OptionBounds.between("--max-poll-records", maxPollRecords, 1, MAX_POLL_RECORDS);
        // a consumer thread beyond the partitions gets none to read
        OptionBounds.between("--concurrency", concurrency, 1, partitions);
        OptionBounds.between("--repeats", repeats, 1, MAX_REPEATS);
    }

    @Override
    public Integer call() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        try (ScratchDirectory scratch = ScratchDirectory.create("moescope-bench-ingest")) {
            measure(scratch.path());
        }
        return 0;
    }

    /** The servers are closed before their scratch directory is deleted. */
    private void measure(Path scratch) throws Exception {
        EmbeddedPostgresServer postgres = null;
        EmbeddedKafkaBroker broker = null;
        try {
            String url = jdbcUrl;
            String dbUser = user;
            String dbPassword = password;
            if (url == null) {
                // the embedded server takes only the password it made on its first start (PasswordAuthentication)
                postgres = EmbeddedPostgresServer.start(scratch.resolve("postgres"), 0);
                url = postgres.jdbcUrl();
                dbUser = postgres.username();
                dbPassword = postgres.password();
            }
            String brokers = kafka.bootstrapServers;
            if (brokers == null) {
                broker = EmbeddedKafkaBroker.start(scratch.resolve("kafka"), 0);
                brokers = broker.bootstrapServers();
            }
            var options = new IngestBenchmark.Options(decisions, heatmapDecisions, shape.layers, experts, shape.topK,
                    partitions, maxPollRecords == null ? IngestConfiguration.DEFAULT_MAX_POLL_RECORDS : maxPollRecords,
                    concurrency == null ? IngestConfiguration.DEFAULT_CONCURRENCY : concurrency, repeats,
                    compression.choose(broker != null).producerSettings());
            System.out.printf("machine: %d cores, load average %.2f; servers: %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    postgres == null && broker == null ? "given" : "embedded, in this process and its child");
            new IngestBenchmark(new IngestBenchmark.Servers(url, dbUser, dbPassword, brokers), options, System.out).run();
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
