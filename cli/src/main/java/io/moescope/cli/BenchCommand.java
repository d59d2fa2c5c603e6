package io.moescope.cli;

import io.moescope.events.ModelIdentity;
import io.moescope.benchmarks.capture.BenchReport;
import io.moescope.benchmarks.capture.CaptureBench;
import io.moescope.benchmarks.capture.DeliveryLoad;
import io.moescope.benchmarks.capture.ProducerReport;
import io.moescope.benchmarks.capture.Spread;
import io.moescope.benchmarks.capture.StepOverhead;
import io.moescope.benchmarks.capture.SumRatio;
import io.moescope.benchmarks.capture.Throughput;
import io.moescope.platform.embedded.EmbeddedKafkaBroker;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.demo.DemoShape;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.probe.model.EngineThreads;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.Prompt;
import io.moescope.probe.run.PromptFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure what capturing router decisions costs: the same model and prompts, every other "
                + "decode step of each request captured (entropy, event, encoding, sent to Kafka) and the others "
                + "not (generation only), swapping which on the next round; each captured step against its "
                + "uncaptured neighbour, which ran on the same machine state. Printed: decode tokens/s for both, the "
                + "overhead per decode step in wall time and in CPU time (generating thread + the probe's delivery "
                + "threads; the broker's threads are not counted), as the median over the step pairs and as the "
                + "ratio of sums, each with a 95%% bootstrap interval, and a verdict against the 2%% target. "
                + "Optionally (--pairs) whole rounds off and on in ABBA order as a secondary figure. Then the Kafka "
                + "producer alone (encode + send + acknowledge): events/s and bytes per decision on the wire.",
            "Without --model it generates the demo model and an OLMoE-shaped one (64 experts, top-8, 16 layers, "
                + "widths scaled down) and benches both; --demo-shape picks, and also offers gpt-oss-like and "
                + "deepseek-v3-like (~0.5B each, in their released MXFP4 / FP8 formats).",
            "Per --intra-op-threads count (a list): prefill and decode tokens/s and peak RSS, captured and not, "
                + "in one closing table.",
            "Without --bootstrap-servers it starts an in-process broker in a temporary folder."})
final class BenchCommand implements Callable<Integer>, OptionBounds.Bounded {

    // --model and --prompts are declared per command, not as mixins: see ModelInputs.
    /** Rounds (and pairs of rounds): a bench of hours, not of weeks. */
    private static final int MAX_ROUNDS = 10_000;
    /** Synthetic events held in memory before the producer measurement: a few hundred bytes each. */
    private static final int MAX_PRODUCER_EVENTS = 10_000_000;
    /** Thread counts in one bench: each reloads the model and repeats every round. */
    /** Shapes benched without --demo-shape: the quick ones; the ~0.5B released-format shapes are asked for. */
    private static final List<DemoShape> DEFAULT_SHAPES = List.of(DemoShape.DEMO, DemoShape.OLMOE_LIKE);

    @Option(names = "--model", paramLabel = "DIR",
            description = ModelInputs.CHECKPOINT + " (default: the generated demo shapes).")
    private Path model;

    @Option(names = "--demo-shape", paramLabel = "SHAPE", split = ",",
            description = "Without --model: the generated shapes to bench, of demo, olmoe-like, gpt-oss-like (~0.5B, "
                    + "MXFP4 experts) and deepseek-v3-like (~0.5B, FP8 weights) (default: demo,olmoe-like).")
    private List<String> demoShapes;

    @Option(names = "--prompts", paramLabel = "FILE",
            description = ModelInputs.PROMPT_FILE + " (default: four short built-in prompts).")
    private Path prompts;

    // Not shared with probe: a shorter default keeps the bench's many rounds quick.
    @Option(names = "--max-new-tokens", defaultValue = "16", paramLabel = "N",
            description = "Tokens to generate per prompt at most (default: ${DEFAULT-VALUE}).")
    private int maxNewTokens;

    @Option(names = "--rounds", defaultValue = "32", paramLabel = "R",
            description = "Timed rounds with capture alternating per decode step, after one untimed warm-up round; "
                    + "even, so each parity runs equally often (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--pairs", defaultValue = "4", paramLabel = "P",
            description = "Secondary figure: pairs of whole rounds with capture off and on, ABBA; 0 skips them "
                    + "(default: ${DEFAULT-VALUE}).")
    private int pairs;

    @Option(names = "--producer-events", defaultValue = "50000", paramLabel = "N",
            description = "Synthetic token events of the model's shape for the producer-only measurement "
                    + "(default: ${DEFAULT-VALUE}).")
    private int producerEvents;

    @Option(names = "--intra-op-threads", defaultValue = "1", paramLabel = "T", split = ",",
            description = "PyTorch intra-op threads; a list (1,2) benches each model once per count and ends with a "
                    + "table of prefill and decode tokens/s and peak RSS, captured and not, per count. With 1 "
                    + "(default) all maths runs on the generating thread, so its CPU time is the whole engine's; "
                    + "native helper threads would be invisible to the per-thread CPU figure.")
    private List<Integer> intraOpThreads;

    @Mixin
    private CompressionOption compression;

    @Mixin
    private ScratchKafkaOption kafka;

    @Override
    public void checkBounds() {
        // a captured decode step is paired with its neighbour
        OptionBounds.between("--max-new-tokens", maxNewTokens, 2, OptionBounds.MAX_NEW_TOKENS);
        OptionBounds.between("--rounds", rounds, 2, MAX_ROUNDS);
        if (rounds % 2 != 0) {
            throw new IllegalArgumentException("--rounds must be even (each parity runs equally often) but was "
                    + rounds);
        }
        OptionBounds.between("--pairs", pairs, 0, MAX_ROUNDS);
        OptionBounds.between("--producer-events", producerEvents, 1, MAX_PRODUCER_EVENTS);
        OptionBounds.threadCounts("--intra-op-threads", intraOpThreads);
    }

    @Override
    public Integer call() throws IOException {
        compression.choose(true); // a bad --compression is refused before anything is generated
        if (model != null && demoShapes != null) {
            throw new IllegalArgumentException("--model and --demo-shape exclude each other: bench a checkpoint or "
                    + "generated shapes");
        }
        List<DemoShape> shapes = demoShapes == null ? DEFAULT_SHAPES
                : demoShapes.stream().map(DemoShape::byCliName).toList();
        List<Prompt> promptList = prompts == null ? CaptureBench.DEFAULT_PROMPTS : PromptFile.read(prompts);
        if (model != null) {
            try (var checkpoint = MoeCheckpoint.open(model)) {
                // a broken checkpoint is reported before anything else is touched
            }
        }
        int threads = EngineThreads.setIntraOp(intraOpThreads.get(0));
        Path scratch = Files.createTempDirectory("moescope-bench");
        try {
            String servers = kafka.bootstrapServers;
            EmbeddedKafkaBroker broker = null;
            if (servers == null) {
                broker = EmbeddedKafkaBroker.start(scratch.resolve("kafka"), 0);
                servers = broker.bootstrapServers();
            } else {
                KafkaRoutingSink.requireReachable(servers, Duration.ofSeconds(10));
            }
            try {
                printMachine(threads, broker != null);
                ProducerCompression codec = compression.choose(broker != null);
                var table = new ArrayList<String>();
                if (model != null) {
                    benchPerThreadCount(servers, codec, model, model.toString(), promptList, table);
                } else {
                    for (DemoShape shape : shapes) {
                        Path dir = scratch.resolve(shape.cliName());
                        System.out.printf("%n== generating shape %s ==%n", shape.cliName());
                        DemoWriting.write(dir, shape);
                        benchPerThreadCount(servers, codec, dir, shape.cliName(), promptList, table);
                    }
                }
                printTable(table);
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

    /** Benches one checkpoint once per intra-op thread count, adding a row per count to {@code table}. */
    private void benchPerThreadCount(String servers, ProducerCompression codec, Path dir, String name,
                                     List<Prompt> promptList, List<String> table) {
        for (int requested : intraOpThreads) {
            int threads = EngineThreads.setIntraOp(requested);
            System.out.printf("%n== %s, %d intra-op thread%s ==%n", name, threads, threads == 1 ? "" : "s");
            var request = new ProbeRequest(dir, promptList, maxNewTokens, "bench");
            BenchReport report = new CaptureBench(
                    () -> new KafkaRoutingSink(servers, codec, Map.of(), DeliveryOptions.defaults()), threads)
                    .run(request, rounds, pairs, producerEvents);
            print(report, codec);
            table.add(row(name, report));
        }
    }

    /**
     * The side-by-side figures: decode tokens/s from the step pairs (the bench's method), prefill tokens/s and peak
     * RSS from one whole round with capture off and one with capture on.
     */
    private static String row(String name, BenchReport r) {
        Throughput off = r.throughput().get(0);
        Throughput on = r.throughput().get(1);
        return String.format("%-18s %7d  %9.1f %9.1f  %9.1f %9.1f  %9s %9s", name, r.intraOpThreads(),
                off.prefillTokensPerSecond(), on.prefillTokensPerSecond(), r.steps().tokensPerSecond(false),
                r.steps().tokensPerSecond(true), mib(off.peakRssBytes()), mib(on.peakRssBytes()));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : (bytes >> 20) + " MiB";
    }

    private static void printTable(List<String> rows) {
        System.out.printf("%nper model and intra-op thread count (prefill and peak RSS: one whole round each way; "
                + "decode: the step pairs):%n%-18s %7s  %19s  %19s  %19s%n%-18s %7s  %9s %9s  %9s %9s  %9s %9s%n",
                "model", "threads", "prefill tok/s", "decode tok/s", "peak RSS", "", "", "off", "on", "off", "on",
                "off", "on");
        rows.forEach(System.out::println);
    }

    private static void printMachine(int threads, boolean embeddedBroker) {
        System.out.printf("machine: %d cores, load average %.2f; PyTorch intra-op threads: %d%s; broker: %s%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), threads,
                threads == 1 ? " (all engine maths on the generating thread)" : "",
                embeddedBroker ? "in-process (its threads are excluded from the CPU figures: a real deployment "
                        + "runs the broker elsewhere)" : "given");
    }

    private void print(BenchReport r, ProducerCompression codec) {
        ModelIdentity m = r.model();
        StepOverhead steps = r.steps();
        System.out.printf("model: %s, %d MoE layers, top-%d of %d experts; %d rounds with capture alternating per "
                        + "decode step: %d pairs of neighbouring steps (one captured, one not); load average %.2f at "
                        + "the start, %.2f at the end%n", m.architecture(), m.moeLayers().size(), m.topK(),
                m.numExperts(), steps.rounds().size(), steps.pairs().size(), r.loadBefore(), r.loadAfter());
        System.out.printf("decode step, uncaptured: median %.3f ms wall, %.3f ms CPU; decode tokens/s over the pairs: "
                        + "%.1f uncaptured, %.1f captured%n", 1e3 * steps.medianPlainWall(),
                1e3 * steps.medianPlainCpu(), steps.tokensPerSecond(false), steps.tokensPerSecond(true));
        printOverhead("overhead, wall time ", steps.wall(), steps.wallSum());
        printOverhead("overhead, CPU time  ", steps.cpu(), steps.cpuSum());
        Spread gen = steps.generatingCpu();
        System.out.printf("  of which generating thread: median %+.2f%% (95%% interval %+.2f%% to %+.2f%%): "
                        + "entropy, building, encoding and queueing the event, and whatever else differs%n",
                100 * gen.median(), 100 * gen.low(), 100 * gen.high());
        DeliveryLoad delivery = steps.delivery();
        System.out.printf("  of which delivery threads: %+.2f%% = %.1f us CPU per token event (sender, producer "
                        + "network thread; not the broker), measured apart over %d events with every step captured, "
                        + "against the generating thread's CPU%n", 100 * delivery.share(),
                1e6 * delivery.cpuPerEvent(), delivery.events());
        System.out.printf("direct capture on the generating thread: %.1f us CPU per captured step (build the event, "
                        + "encode, queue; not the entropy) = %.3f%% of an uncaptured step; capture's own work "
                        + "(direct + delivery) %.2f%%%n", 1e6 * steps.directCapturePerStep(),
                100 * steps.directCapturePerStep() / steps.medianPlainCpu(),
                100 * (steps.directCapturePerStep() / steps.medianPlainCpu() + delivery.share()));
        System.out.printf("clock readings: %.2f us each (wall + thread CPU); a captured step reads once more than an "
                        + "uncaptured one (for the direct figure): %.4f%% of a step, counted against capture%n",
                1e6 * r.clockReadingSeconds(), 100 * r.clockReadingSeconds() / steps.medianPlainWall());
        Spread cpu = steps.cpu();
        SumRatio cpuSum = steps.cpuSum();
        System.out.printf("target <= 2%% of decode time, by the CPU figure: %s by the median (%+.2f%%, 95%% interval "
                        + "%+.2f%% to %+.2f%%), %s by the ratio of sums (%+.2f%%, %+.2f%% to %+.2f%%)%n",
                verdict(cpu.low(), cpu.high()), 100 * cpu.median(), 100 * cpu.low(), 100 * cpu.high(),
                verdict(cpuSum.low(), cpuSum.high()), 100 * cpuSum.value(), 100 * cpuSum.low(),
                100 * cpuSum.high());
        if (!r.roundPairs().isEmpty()) {
            Spread wall = r.roundWallOverhead();
            Spread roundCpu = r.roundCpuOverhead();
            System.out.printf("secondary, whole rounds off vs on (ABBA, %d pairs): wall median %+.2f%% (%+.2f%% to "
                            + "%+.2f%%), CPU median %+.2f%% (%+.2f%% to %+.2f%%); differences between rounds include "
                            + "machine and engine state that is not capture's%n", wall.n(), 100 * wall.median(),
                    100 * wall.low(), 100 * wall.high(), 100 * roundCpu.median(), 100 * roundCpu.low(),
                    100 * roundCpu.high());
        }
        ProducerReport p = r.producer();
        System.out.printf("producer alone:      %d events (%d decisions each) in %.2f s = %.0f events/s = %.0f "
                + "decisions/s (%s)%n", p.events(), p.decisionsPerEvent(), p.seconds(), p.eventsPerSecond(),
                p.decisionsPerSecond(), codec.codec());
        System.out.printf("producer CPU:        %.1f us per event on the client threads (encode, hand-off, send) "
                + "= %.0f events/s per core%n", p.cpuMicrosPerEvent(), 1e6 / p.cpuMicrosPerEvent());
        System.out.printf("bytes per decision:  %.2f on the wire, %.2f Avro before compression%n",
                p.wireBytesPerDecision(), p.encodedBytesPerDecision());
    }

    private static String verdict(double low, double high) {
        if (high <= 0.02) {
            return "MET";
        }
        return low > 0.02 ? "NOT met" : "UNRESOLVED (the interval straddles the target: too noisy a machine for "
                + "this many pairs; raise --rounds)";
    }

    private static void printOverhead(String label, Spread s, SumRatio sum) {
        System.out.printf("%s per decode step: median %+.2f%% (95%% bootstrap interval %+.2f%% to %+.2f%%, "
                        + "interquartile %+.2f%% to %+.2f%%); ratio of sums %+.2f%% (%+.2f%% to %+.2f%%)%n", label,
                100 * s.median(), 100 * s.low(), 100 * s.high(), 100 * s.q1(), 100 * s.q3(), 100 * sum.value(),
                100 * sum.low(), 100 * sum.high());
    }
}
