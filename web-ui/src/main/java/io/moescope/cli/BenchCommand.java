package io.moescope.cli;

import io.moescope.app.embedded.EmbeddedKafkaBroker;
import io.moescope.events.ModelIdentity;
import io.moescope.probe.bench.BenchReport;
import io.moescope.probe.bench.CaptureBench;
import io.moescope.probe.bench.ProducerReport;
import io.moescope.probe.bench.Spread;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoProgress;
import io.moescope.probe.demo.DemoShape;
import io.moescope.probe.kafka.KafkaRoutingSink;
import io.moescope.probe.model.EngineThreads;
import io.moescope.probe.run.Prompt;
import io.moescope.probe.run.PromptFile;
import io.moescope.probe.run.ProbeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure what capturing router decisions costs: the same model and prompts with capture off "
                + "(generation only: no entropy, no events, no sink) and on (events encoded and sent to Kafka), in "
                + "many short rounds in ABBA order; decode tokens/s for both, and the overhead per decode step in "
                + "wall time and in CPU time (generating thread + the probe's delivery threads; the broker's threads "
                + "are not counted), each as the median over the off/on pairs with a 95% bootstrap interval and the "
                + "interquartile range. Then the Kafka producer alone (encode + send + acknowledge): events/s and "
                + "bytes per decision on the wire.",
            "Without --model it generates the demo model and an OLMoE-shaped one (64 experts, top-8, 16 layers, "
                + "widths scaled down) and benches both; --demo-shape picks one.",
            "Without --bootstrap-servers it starts an in-process broker in a temporary folder."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR",
            description = "HF checkpoint directory: config.json, model.safetensors, tokenizer.json (default: the "
                    + "generated demo shapes).")
    private Path model;

    @Option(names = "--demo-shape", paramLabel = "SHAPE", split = ",",
            description = "Without --model: the generated shapes to bench, demo and/or olmoe-like (default: both).")
    private List<String> demoShapes;

    @Option(names = "--prompts", paramLabel = "FILE",
            description = "Plain text, one prompt per non-blank line (default: four short built-in prompts).")
    private Path prompts;

    @Option(names = "--max-new-tokens", defaultValue = "16", paramLabel = "N",
            description = "Tokens to generate per prompt at most (default: ${DEFAULT-VALUE}).")
    private int maxNewTokens;

    @Option(names = "--pairs", defaultValue = "8", paramLabel = "P",
            description = "Timed off/on pairs of rounds, after one untimed warm-up pair (default: ${DEFAULT-VALUE}).")
    private int pairs;

    @Option(names = "--producer-events", defaultValue = "50000", paramLabel = "N",
            description = "Synthetic token events of the model's shape for the producer-only measurement "
                    + "(default: ${DEFAULT-VALUE}).")
    private int producerEvents;

    @Option(names = "--intra-op-threads", defaultValue = "1", paramLabel = "T",
            description = "PyTorch intra-op threads. With 1 (default) all maths runs on the generating thread, so "
                    + "its CPU time is the whole engine's; native helper threads would be invisible to the "
                    + "per-thread CPU figure.")
    private int intraOpThreads;

    @Mixin
    private CompressionOption compression;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka to send to (default: a fresh in-process broker, removed afterwards).")
    private String bootstrapServers;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> producerSettings = compression.producerOverrides();
        if (maxNewTokens < 2 || pairs < 1 || producerEvents < 1) {
            throw new IllegalArgumentException("--max-new-tokens must be >= 2 (a timed decode step follows another "
                    + "one), --pairs and --producer-events >= 1");
        }
        if (model != null && demoShapes != null) {
            throw new IllegalArgumentException("--model and --demo-shape exclude each other: bench a checkpoint or "
                    + "generated shapes");
        }
        List<DemoShape> shapes = demoShapes == null ? List.of(DemoShape.values())
                : demoShapes.stream().map(DemoShape::byCliName).toList();
        List<Prompt> promptList = prompts == null ? CaptureBench.DEFAULT_PROMPTS : PromptFile.read(prompts);
        if (model != null) {
            try (var checkpoint = MoeCheckpoint.open(model)) {
                // a broken checkpoint is reported before anything else is touched
            }
        }
        int threads = EngineThreads.setIntraOp(intraOpThreads);
        Path scratch = Files.createTempDirectory("moescope-bench");
        try {
            String servers = bootstrapServers;
            EmbeddedKafkaBroker broker = null;
            if (servers == null) {
                broker = EmbeddedKafkaBroker.start(scratch.resolve("kafka"), 0);
                servers = broker.bootstrapServers();
            } else {
                KafkaRoutingSink.requireReachable(servers, Duration.ofSeconds(10));
            }
            try {
                printMachine(threads, broker != null);
                if (model != null) {
                    bench(servers, producerSettings, model, promptList, threads);
                } else {
                    for (DemoShape shape : shapes) {
                        Path dir = scratch.resolve(shape.cliName());
                        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, shape.config(),
                                DemoProgress.NONE);
                        System.out.printf("%n== generated shape %s ==%n", shape.cliName());
                        bench(servers, producerSettings, dir, promptList, threads);
                    }
                }
            } finally {
                if (broker != null) {
                    broker.close();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private void bench(String servers, Map<String, Object> producerSettings, Path dir, List<Prompt> promptList,
                       int threads) {
        var request = new ProbeRequest(dir, promptList, maxNewTokens, "bench");
        print(new CaptureBench(() -> new KafkaRoutingSink(servers, producerSettings), threads)
                .run(request, pairs, producerEvents));
    }

    private static void printMachine(int threads, boolean embeddedBroker) {
        System.out.printf("machine: %d cores, load average %.2f; PyTorch intra-op threads: %d%s; broker: %s%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), threads,
                threads == 1 ? " (all engine maths on the generating thread)" : "",
                embeddedBroker ? "in-process (its threads are excluded from the CPU figures: a real deployment "
                        + "runs the broker elsewhere)" : "given");
    }

    private void print(BenchReport r) {
        ModelIdentity m = r.model();
        System.out.printf("model: %s, %d MoE layers, top-%d of %d experts; %d pairs of rounds (ABBA), %d decode "
                        + "steps timed per round; load average %.2f at the start, %.2f at the end%n",
                m.architecture(), m.moeLayers().size(), m.topK(), m.numExperts(), r.pairs().size(),
                r.pairs().get(0).off().decodeSteps(), r.loadBefore(), r.loadAfter());
        System.out.printf("decode, capture off: %d tokens in %.2f s = %.1f tokens/s (median step %.3f ms)%n",
                r.decodeSteps(false), r.decodeSeconds(false), r.decodeTokensPerSecond(false),
                1e3 * r.medianStepSeconds());
        System.out.printf("decode, capture on:  %d tokens in %.2f s = %.1f tokens/s%n", r.decodeSteps(true),
                r.decodeSeconds(true), r.decodeTokensPerSecond(true));
        printOverhead("overhead, wall time ", r.wallOverhead());
        printOverhead("overhead, CPU time  ", r.cpuOverhead());
        Spread gen = r.generatingThreadOverhead();
        Spread delivery = r.deliveryOverhead();
        System.out.printf("  of which generating thread: median %+.2f%% (95%% interval %+.2f%% to %+.2f%%): entropy, "
                        + "events, encoding, hand-off, and anything the other threads make it slower by (cache "
                        + "evictions, GC)%n", 100 * gen.median(), 100 * gen.low(), 100 * gen.high());
        System.out.printf("  of which delivery threads: median %+.2f%% (95%% interval %+.2f%% to %+.2f%%) = %.1f us "
                        + "CPU per token event%n", 100 * delivery.median(), 100 * delivery.low(),
                100 * delivery.high(), 1e6 * r.medianDeliveryCpuPerEvent());
        Spread direct = r.directShare();
        System.out.printf("direct capture on the generating thread: %.1f us CPU per token (build the event, encode, "
                        + "queue; measured around that code) = median %.3f%% of a decode step (95%% interval %.3f%% "
                        + "to %.3f%%)%n", 1e6 * r.medianDirectCapture(), 100 * direct.median(), 100 * direct.low(),
                100 * direct.high());
        Spread cpu = r.cpuOverhead();
        System.out.printf("target <= 2%% of decode time: by the CPU figure %s (median %+.2f%%, 95%% interval %+.2f%% "
                        + "to %+.2f%%); capture's own work (direct + delivery) %.2f%%%n", verdict(cpu),
                100 * cpu.median(), 100 * cpu.low(), 100 * cpu.high(),
                100 * (direct.median() + r.deliveryOverhead().median()));
        System.out.println("  which figure to trust: the CPU figure when the machine is busy (a step's wall time "
                + "includes the time its thread waits for a core, which on a shared machine varies between rounds "
                + "by more than capture costs; thread CPU time counts only the time the thread ran, though cache "
                + "and core sharing still move it); the wall figure on a quiet machine with a core to spare for the "
                + "delivery threads (what a user sees). When neither interval is narrower than the target, capture's "
                + "own work is the bound that can be measured: direct time on the generating thread plus the "
                + "delivery threads' CPU.");
        ProducerReport p = r.producer();
        System.out.printf("producer alone:      %d events (%d decisions each) in %.2f s = %.0f events/s = %.0f "
                + "decisions/s (%s)%n", p.events(), p.decisionsPerEvent(), p.seconds(), p.eventsPerSecond(),
                p.decisionsPerSecond(), compression.codec);
        System.out.printf("producer CPU:        %.1f us per event on the client threads (encode, hand-off, send) "
                + "= %.0f events/s per core%n", p.cpuMicrosPerEvent(), 1e6 / p.cpuMicrosPerEvent());
        System.out.printf("bytes per decision:  %.2f on the wire, %.2f Avro before compression%n",
                p.wireBytesPerDecision(), p.encodedBytesPerDecision());
    }

    private static String verdict(Spread overhead) {
        if (overhead.high() <= 0.02) {
            return "MET";
        }
        return overhead.low() > 0.02 ? "NOT met"
                : "UNRESOLVED: the interval straddles the target, the machine is too busy for this many pairs";
    }

    private static void printOverhead(String label, Spread s) {
        System.out.printf("%s per decode step: median %+.2f%%, 95%% bootstrap interval %+.2f%% to %+.2f%%, "
                + "interquartile %+.2f%% to %+.2f%% (%d pairs)%n", label, 100 * s.median(), 100 * s.low(),
                100 * s.high(), 100 * s.q1(), 100 * s.q3(), s.n());
    }
}
