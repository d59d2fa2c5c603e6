package io.moescope.cli;

import io.moescope.benchmarks.tap.TapBench;
import io.moescope.benchmarks.tap.TapBenchResult;
import io.moescope.platform.embedded.EmbeddedKafkaBroker;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench-tap", mixinStandardHelpOptions = true,
        description = {"Measure what `moescope tap` adds to a vLLM client's requests: latency p50/p99 and throughput "
                + "through the tap against calling an engine stand-in directly, at 1, 16 and 64 concurrent clients, "
                + "for responses of 256 and 4,096 positions of a 61-layer top-8 model (DeepSeek-V3's router shape). "
                + "The tap records into Kafka: a scratch in-process broker (deleted afterwards) unless "
                + "--bootstrap-servers names one it may fill."})
final class BenchTapCommand implements Callable<Integer>, OptionBounds.Bounded {

    private static final List<Integer> POSITIONS = List.of(256, 4096);
    private static final List<Integer> CLIENTS = List.of(1, 16, 64);
    private static final int MAX_REQUESTS = 100_000;
    private static final int MAX_ROUNDS = 1_000;

    @Option(names = "--requests", defaultValue = "64", paramLabel = "N",
            description = "Requests per round, shared out over the clients, each sending at least one (default: "
                    + "${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--rounds", defaultValue = "4", paramLabel = "R",
            description = "Measured rounds of each kind (direct, through the tap), even: the order alternates in "
                    + "pairs (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Mixin
    private ScratchKafkaOption kafka;

    /** Makes the folder of the scratch broker, deleted afterwards. */
    private final ScratchFolder scratchFolder;

    BenchTapCommand() {
        this(ScratchFolder.TEMP);
    }

    BenchTapCommand(ScratchFolder scratchFolder) {
        this.scratchFolder = scratchFolder;
    }

    @Override
    public void checkBounds() {
        OptionBounds.between("--requests", requests, 1, MAX_REQUESTS);
        OptionBounds.between("--rounds", rounds, 2, MAX_ROUNDS);
        if (rounds % 2 != 0) {
            throw new IllegalArgumentException("--rounds must be even but was " + rounds);
        }
    }

    @Override
    public Integer call() throws Exception {
        Path scratch = scratchFolder.create("moescope-bench-tap");
        EmbeddedKafkaBroker broker = null;
        try {
            String servers = kafka.bootstrapServers;
            if (servers == null) {
                broker = EmbeddedKafkaBroker.start(scratch.resolve("kafka"), 0);
                servers = broker.bootstrapServers();
            } else {
                KafkaRoutingSink.requireReachable(servers, Duration.ofSeconds(10));
            }
            System.out.printf("%d processors, %s Kafka; %d requests per round, %d rounds of each kind; latencies in "
                    + "ms%n", Runtime.getRuntime().availableProcessors(), broker != null ? "in-process" : "external",
                    requests, rounds);
            System.out.println(TapBenchResult.HEADER);
            var bench = new TapBench(servers, ProducerCompression.choose(Optional.empty(), broker != null), requests,
                    rounds);
            for (int positions : POSITIONS) {
                for (int clients : CLIENTS) {
                    System.out.println(bench.run(positions, clients).line());
                }
            }
            System.out.println(TapBenchResult.NOTE);
        } finally {
            if (broker != null) {
                broker.close();
            }
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
