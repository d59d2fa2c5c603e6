package io.moescope.cli;

import ch.qos.logback.classic.Level;
import io.moescope.benchmarks.ingest.SyntheticRun;
import io.moescope.benchmarks.metrics.MetricsBenchmark;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench-metrics", mixinStandardHelpOptions = true,
        description = {"Measure what a user waits for on a run page and from the API's default metrics, in one run on "
                + "this machine: a run of N decisions is stored through ingest's writer and ended, then the run "
                + "list, the run's summary, its load metrics and scorecards (from the rollups, and the load metrics "
                + "from the raw rows too), its default metric suite (computed from the raw rows, and served "
                + "stored), and its load over time are each fetched repeatedly; p50 and p95 are printed beside the "
                + "1 s target.",
            "Starts the platform on scratch embedded servers (deleted afterwards)."})
final class BenchMetricsCommand implements Callable<Integer>, OptionBounds.Bounded {

    /** Calls per figure beyond which the percentiles change no more. */
    private static final int MAX_CALLS = 1_000;

    @Option(names = "--decisions", defaultValue = "10000000", paramLabel = "N",
            description = "Decisions (token x layer) of the run (default: ${DEFAULT-VALUE}).")
    private long decisions;

    @Mixin
    private RunShapeOptions shape;

    @Option(names = "--experts", defaultValue = "8", description = "Experts per layer (default: ${DEFAULT-VALUE}).")
    private int experts;

    @Option(names = "--calls", defaultValue = "20",
            description = "Timed calls of each figure served from the rollups or the stored suite, after one untimed"
                    + " call (default: ${DEFAULT-VALUE}).")
    private int calls;

    @Option(names = "--raw-calls", defaultValue = "3",
            description = "Timed calls of each figure read from the raw rows (seconds each at 10 M decisions), after"
                    + " one untimed call (default: ${DEFAULT-VALUE}).")
    private int rawCalls;

    @Override
    public void checkBounds() {
        OptionBounds.between("--decisions", decisions, 1, OptionBounds.MAX_DECISIONS);
        OptionBounds.experts("--experts", experts);
        shape.checkBounds(experts);
        OptionBounds.between("--calls", calls, 1, MAX_CALLS);
        OptionBounds.between("--raw-calls", rawCalls, 1, MAX_CALLS);
    }

    @Override
    public Integer call() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        System.out.printf("moescope bench-metrics: machine: %d cores, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        var options = new MetricsBenchmark.Options(decisions, shape.layers, experts, shape.topK, calls, rawCalls);
        long tokens = SyntheticRun.ofDecisions("", decisions, shape.layers, experts, shape.topK, null, null)
                .tokens();
        try (ScratchDirectory scratch = ScratchDirectory.create("moescope-bench-metrics");
             var progress = new StoringProgress(tokens)) {
            new MetricsBenchmark(options, System.out).run(scratch.path(), progress::stored);
        }
        return 0;
    }

    /** A bar over the tokens stored, shown from the first token on (not while the platform starts). */
    private static final class StoringProgress implements AutoCloseable {

        private final long tokens;
        private ProgressBar bar;

        StoringProgress(long tokens) {
            this.tokens = tokens;
        }

        void stored(long written) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("storing the run").setInitialMax(tokens)
                        .setUnit(" tokens", 1).showSpeed().continuousUpdate().build();
            }
            bar.stepTo(written);
            if (written == tokens) {
                close();
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
