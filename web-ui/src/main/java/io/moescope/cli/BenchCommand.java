package io.moescope.cli;

import io.moescope.app.embedded.EmbeddedKafkaBroker;
import io.moescope.probe.bench.BenchReport;
import io.moescope.probe.bench.CaptureBench;
import io.moescope.probe.bench.ProducerReport;
import io.moescope.probe.bench.Spread;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.kafka.KafkaRoutingSink;
import io.moescope.probe.run.PromptFile;
import io.moescope.probe.run.ProbeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure what capturing router decisions costs: the same model and prompts with capture off "
                + "and on (alternating rounds), decode tokens/s for both and the overhead; then the Kafka producer "
                + "alone (encode + send + acknowledge): events/s and bytes per decision on the wire.",
            "Without --bootstrap-servers it starts an in-process broker in a temporary folder."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "HF checkpoint directory: config.json, model.safetensors, tokenizer.json.")
    private Path model;

    @Option(names = "--prompts", required = true, paramLabel = "FILE",
            description = "Plain text, one prompt per non-blank line.")
    private Path prompts;

    @Option(names = "--max-new-tokens", defaultValue = "64", paramLabel = "N",
            description = "Tokens to generate per prompt at most (default: ${DEFAULT-VALUE}).")
    private int maxNewTokens;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "R",
            description = "Timed runs with capture off and as many with capture on, alternating, after one "
                    + "untimed warm-up pair (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--producer-events", defaultValue = "100000", paramLabel = "N",
            description = "Synthetic token events of the model's shape for the producer-only measurement "
                    + "(default: ${DEFAULT-VALUE}).")
    private int producerEvents;

    @Mixin
    private CompressionOption compression;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka to send to (default: a fresh in-process broker, removed afterwards).")
    private String bootstrapServers;

    @Override
    public Integer call() throws IOException {
        if (maxNewTokens < 1 || rounds < 1 || producerEvents < 1) {
            throw new IllegalArgumentException("--max-new-tokens, --rounds and --producer-events must be >= 1");
        }
        Map<String, Object> producerSettings = compression.producerOverrides();
        var request = new ProbeRequest(model, PromptFile.read(prompts), maxNewTokens, "bench");
        try (var checkpoint = MoeCheckpoint.open(model)) {
            // a broken checkpoint is reported before anything else is touched
        }
        if (bootstrapServers != null) {
            KafkaRoutingSink.requireReachable(bootstrapServers, Duration.ofSeconds(10));
            print(bench(bootstrapServers, request, producerSettings));
            return 0;
        }
        Path logDir = Files.createTempDirectory("moescope-bench-kafka");
        try (var broker = EmbeddedKafkaBroker.start(logDir, 0)) {
            print(bench(broker.bootstrapServers(), request, producerSettings));
        } finally {
            try (Stream<Path> files = Files.walk(logDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private BenchReport bench(String servers, ProbeRequest request, Map<String, Object> producerSettings) {
        return new CaptureBench(() -> new KafkaRoutingSink(servers, producerSettings))
                .run(request, rounds, producerEvents);
    }

    private void print(BenchReport r) {
        System.out.printf("decode, capture off: %d tokens in %.2f s = %.1f tokens/s%n", r.decodeTokensOff(),
                r.decodeSecondsOff(), r.decodeTokensPerSecondOff());
        System.out.printf("decode, capture on:  %d tokens in %.2f s = %.1f tokens/s%n", r.decodeTokensOn(),
                r.decodeSecondsOn(), r.decodeTokensPerSecondOn());
        Spread pairs = r.pairOverhead();
        System.out.printf("capture overhead:    %.2f%% of decode throughput over all rounds; per off/on pair: median "
                + "%.2f%%, range %.2f%% to %.2f%% over %d pairs (target <= 2%%)%n", 100 * r.captureOverhead(),
                100 * pairs.median(), 100 * pairs.min(), 100 * pairs.max(), r.pairOverheads().size());
        Spread share = r.captureShare();
        System.out.printf("capture measured on the generation thread: %.1f us per token event (encode + queue) = "
                + "%.2f%% of a decode step, median of the rounds (range %.2f%% to %.2f%%)%n",
                r.captureMicrosPerToken(), 100 * share.median(), 100 * share.min(), 100 * share.max());
        ProducerReport p = r.producer();
        System.out.printf("producer alone:      %d events (%d decisions each) in %.2f s = %.0f events/s = %.0f "
                + "decisions/s (%s)%n", p.events(), p.decisionsPerEvent(), p.seconds(), p.eventsPerSecond(),
                p.decisionsPerSecond(), compression.codec);
        System.out.printf("producer CPU:        %.1f us per event on the client threads (encode, hand-off, send), "
                + "= %.0f events/s per core, %.2f%% of a decode step%n", p.cpuMicrosPerEvent(),
                1e6 / p.cpuMicrosPerEvent(), 100 * r.producerCpuShare());
        System.out.printf("bytes per decision:  %.2f on the wire, %.2f Avro before compression%n",
                p.wireBytesPerDecision(), p.encodedBytesPerDecision());
    }
}
