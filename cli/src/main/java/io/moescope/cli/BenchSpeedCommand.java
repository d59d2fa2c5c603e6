package io.moescope.cli;

import io.moescope.benchmarks.speed.SpeedBench;
import io.moescope.benchmarks.speed.SpeedReport;
import io.moescope.benchmarks.speed.StepTime;
import io.moescope.probe.demo.DemoShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-speed", mixinStandardHelpOptions = true,
        description = {"Prefill and decode speed of the probe's forward pass per intra-op thread count, as "
                + "transformers' is usually measured: one prompt, greedy, a fixed number of new tokens, no capture, "
                + "one warm-up repeat, medians of the timed repeats (wall, and the process's CPU, which counts "
                + "PyTorch's helper threads). Beside each: the same steps' matrix multiplications done bare in the "
                + "same engine and thread count (the floor), and the forward pass's time over it.",
            "Without --model it generates the 591M-parameter float32 Mixtral of the comparison with transformers "
                + "(--demo-shape mixtral-591m, 2.4 GB in a temporary folder)."})
final class BenchSpeedCommand implements Callable<Integer>, OptionBounds.Bounded {

    /** Timed repeats: each is a prefill and the decode steps. */
    private static final int MAX_REPEATS = 1_000;

    @Option(names = "--model", paramLabel = "DIR", description = ModelInputs.CHECKPOINT
            + " (the tokenizer is not read: the prompt is seeded token ids).")
    private Path model;

    @Option(names = "--demo-shape", defaultValue = "mixtral-591m", paramLabel = "SHAPE",
            description = "Without --model: the generated shape to bench (default: ${DEFAULT-VALUE}).")
    private String demoShape;

    @Option(names = "--intra-op-threads", defaultValue = "1,2", paramLabel = "T", split = ",",
            description = "PyTorch intra-op thread counts, each benched with the model reloaded (default: "
                    + "${DEFAULT-VALUE}).")
    private List<Integer> intraOpThreads;

    @Option(names = "--prompt-tokens", defaultValue = "29", paramLabel = "N",
            description = "Tokens of the prefill step (default: ${DEFAULT-VALUE}).")
    private int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "64", paramLabel = "N",
            description = "Decode steps per repeat (default: ${DEFAULT-VALUE}).")
    private int newTokens;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "R",
            description = "Timed repeats after one warm-up; medians over them (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Override
    public void checkBounds() {
        OptionBounds.between("--prompt-tokens", promptTokens, 1, OptionBounds.MAX_NEW_TOKENS);
        OptionBounds.between("--new-tokens", newTokens, 1, OptionBounds.MAX_NEW_TOKENS);
        OptionBounds.between("--repeats", repeats, 1, MAX_REPEATS);
        OptionBounds.threadCounts("--intra-op-threads", intraOpThreads);
    }

    @Override
    public Integer call() throws IOException {
        var bench = new SpeedBench(promptTokens, newTokens, repeats);
        if (model != null) {
            // a broken checkpoint fails the first thread count's load, before anything is timed
            print(model.toString(), bench, model);
            return 0;
        }
        DemoShape shape = DemoShape.byCliName(demoShape);
        Path scratch = Files.createTempDirectory("moescope-bench-speed");
        try {
            Path dir = scratch.resolve(shape.cliName());
            DemoWriting.write(dir, shape);
            print(shape.cliName(), bench, dir);
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private void print(String name, SpeedBench bench, Path dir) throws IOException {
        System.out.printf("model %s; %d cores; prompt %d tokens, %d new tokens, greedy, no capture; medians of %d "
                        + "after a warm-up; floor: the same matrix multiplications bare, best of %d; OMP_WAIT_POLICY "
                        + "%s%n", name, Runtime.getRuntime().availableProcessors(), promptTokens, newTokens, repeats,
                repeats, System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"));
        var rows = new ArrayList<String>();
        for (int threads : intraOpThreads) {
            SpeedReport r = bench.run(dir, threads);
            String row = row(r);
            System.out.println(row);
            rows.add(row);
        }
        System.out.printf("%n%-7s %-11s | %-15s | %-59s | %-59s%n", "threads", "load", "first prefill",
                "prefill ms wall / CPU, tok/s, floor, (over floor)", "decode ms/token wall / CPU, tok/s, floor, (over "
                        + "floor)");
        rows.forEach(System.out::println);
    }

    private static String row(SpeedReport r) {
        return String.format("%-7d %4.1f->%-5.1f | %s | %s %6.1f tok/s  %s %s | %s %6.1f tok/s  %s %s",
                r.intraOpThreads(), r.loadBefore(), r.loadAfter(), ms(r.coldPrefill()), ms(r.prefill()),
                r.prefillTokensPerSecond(),
                ms(r.floorPrefill()), ratio(r.prefill(), r.floorPrefill()), ms(r.decode()),
                r.decodeTokensPerSecond(), ms(r.floorDecode()), ratio(r.decode(), r.floorDecode()));
    }

    private static String ms(StepTime t) {
        return t == null ? "       n/a" : String.format("%6.1f / %6.1f", 1e3 * t.wallSeconds(), 1e3 * t.cpuSeconds());
    }

    /** The forward pass over its floor, by wall and by CPU. */
    static String ratio(StepTime step, StepTime floor) {
        return floor == null ? "" : "(" + over(step.wallSeconds(), floor.wallSeconds(), "wall not measurable: the"
                + " floor took 0 ms") + " / " + over(step.cpuSeconds(), floor.cpuSeconds(), "CPU not measurable: the"
                + " floor took 0 ms of CPU, below the process CPU clock's resolution") + ")";
    }

    /**
     * A floor of no time supports no ratio: the process's CPU clock ticks coarsely (10 ms on Linux), so a tiny model's
     * fastest bare step can read 0 ms of CPU.
     */
    private static String over(double seconds, double floorSeconds, String notMeasurable) {
        return floorSeconds > 0 ? String.format("x%.2f", seconds / floorSeconds) : notMeasurable;
    }
}
