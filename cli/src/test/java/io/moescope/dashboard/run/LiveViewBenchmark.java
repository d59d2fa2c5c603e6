package io.moescope.dashboard.run;

import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.platform.ScratchPlatform;
import io.moescope.platform.alerts.AlertRuleService;
import io.moescope.platform.metrics.RunMetrics;
import io.moescope.platform.metrics.RunMetricsService;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Not a test: does a run view in live mode keep up with 100k decisions/s? The whole platform runs in this JVM
 * (embedded Kafka and PostgreSQL, ingest); one thread produces a run at the given rate while the main thread does
 * what an open run view does on every UI poll (every 2 s by default): read the run's summary and, when it changed,
 * its rollup metrics, and update the load panel (heatmap option, scorecards judged by the rules, table).
 * Prints, per poll, decisions produced vs displayed (the lag, also in seconds at the rate) and the refresh time; then
 * the lag in the first and the second half (growing lag = falling behind), the time to catch up after the producer
 * stops, and the heap used after a GC at the start and the end of the stream.
 * {@code cli/bench.sh io.moescope.dashboard.run.LiveViewBenchmark [decisions/s=100000] [seconds=30] [pollMillis=2000]}
 */
public final class LiveViewBenchmark {

    private static final int LAYERS = 32;
    private static final int EXPERTS = 8;
    private static final String RUN = "live";
    private static final ModelIdentity MODEL = new ModelIdentity("bench", "MixtralForCausalLM", EXPERTS, 2, LAYERS,
            IntStream.range(0, LAYERS).boxed().toList(), 1, 1);

    private LiveViewBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long pollMillis = args.length > 2 ? Long.parseLong(args[2]) : 2000;
        ConfigurableApplicationContext app = ScratchPlatform.start("live-bench");
        try (var sink = new KafkaRoutingSink(app.getEnvironment().getProperty("spring.kafka.bootstrap-servers"))) {
            var view = new LiveView(app.getBean(RunCatalog.class), app.getBean(RunMetricsService.class),
                    app.getBean(AlertRuleService.class));
            AtomicLong producedTokens = new AtomicLong();
            sink.runStarted(new RunLifecycle(RUN, RUN, RunStatus.STARTED, System.currentTimeMillis() * 1000, "probe",
                    MODEL, 0));
            long heapBefore = heapAfterGc();
            Thread producer = new Thread(() -> produce(sink, rate, seconds, producedTokens), "producer");
            producer.start();
            List<Long> lags = new ArrayList<>();
            List<Long> refreshMillis = new ArrayList<>();
            System.out.println("   t s   produced  displayed        lag   lag s  refresh ms");
            long start = System.nanoTime();
            while (producer.isAlive()) {
                Thread.sleep(pollMillis);
                long took = view.refresh();
                long produced = producedTokens.get() * LAYERS;
                long lag = produced - view.displayedDecisions();
                lags.add(lag);
                refreshMillis.add(took);
                System.out.printf("%6.1f %10d %10d %10d %7.2f %11d%n", (System.nanoTime() - start) / 1e9, produced,
                        view.displayedDecisions(), lag, (double) lag / rate, took);
            }
            long heapAfter = heapAfterGc();
            long stopped = System.nanoTime();
            long produced = producedTokens.get() * LAYERS;
            while (view.displayedDecisions() < produced && System.nanoTime() - stopped < 120e9) {
                Thread.sleep(pollMillis);
                view.refresh();
            }
            report(rate, lags, refreshMillis, (System.nanoTime() - stopped) / 1e9, view.displayedDecisions() >= produced,
                    heapBefore, heapAfter);
        } finally {
            app.close();
        }
        System.exit(0);
    }

    private static void report(int rate, List<Long> lags, List<Long> refreshMillis, double catchUp, boolean caughtUp,
                               long heapBefore, long heapAfter) {
        int half = lags.size() / 2;
        System.out.printf("rate %,d decisions/s; %d polls%n", rate, lags.size());
        System.out.printf("mean lag first half %.2f s, second half %.2f s (growing = falling behind)%n",
                mean(lags.subList(0, half)) / rate, mean(lags.subList(half, lags.size())) / rate);
        refreshMillis.sort(null);
        System.out.printf("refresh (summary + metrics + panel update): p50 %d ms, max %d ms%n",
                refreshMillis.get(refreshMillis.size() / 2), refreshMillis.get(refreshMillis.size() - 1));
        System.out.printf(caughtUp ? "display caught up %.1f s after the producer stopped%n"
                : "display NOT caught up %.1f s after the producer stopped%n", catchUp);
        System.out.printf("heap used after GC: %d MiB at the start, %d MiB at the end of the stream%n",
                heapBefore >> 20, heapAfter >> 20);
    }

    private static double mean(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Tokens of 32 layers each, spread evenly over the experts, paced to the decision rate. */
    private static void produce(KafkaRoutingSink sink, int rate, int seconds, AtomicLong sent) {
        double tokensPerSecond = (double) rate / LAYERS;
        long start = System.nanoTime();
        try {
            while (true) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (elapsed >= seconds) {
                    return;
                }
                while (sent.get() < elapsed * tokensPerSecond) {
                    sink.token(token(sent.getAndIncrement()));
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TokenRouting token(long t) {
        var decisions = new ArrayList<RouterDecision>(LAYERS);
        for (int l = 0; l < LAYERS; l++) {
            decisions.add(new RouterDecision(l, new int[] {(int) ((t + l) % EXPERTS), (int) ((t + l + 3) % EXPERTS)},
                    new float[] {0.6f, 0.4f}, 1.0f));
        }
        return new TokenRouting(RUN, "r" + (t / 1000), (int) (t % 1000), 5, Phase.DECODE,
                System.currentTimeMillis() * 1000, decisions);
    }

    /** What {@link RunView}'s poll does for an arriving run, without the browser round trip. */
    private static final class LiveView {

        private final RunCatalog catalog;
        private final RunMetricsService metrics;
        private final AlertRuleService rules;
        private RunSummary shown;
        private RunLoadPanel panel;

        LiveView(RunCatalog catalog, RunMetricsService metrics, AlertRuleService rules) {
            this.catalog = catalog;
            this.metrics = metrics;
            this.rules = rules;
        }

        /** @return milliseconds the refresh took */
        long refresh() {
            long start = System.nanoTime();
            Optional<RunSummary> run = catalog.find(RUN);
            if (run.isPresent() && !run.get().equals(shown)) {
                shown = run.get();
                Optional<RunMetrics> m = metrics.metrics(RUN, Optional.empty());
                if (m.isPresent() && !m.get().layers().isEmpty()) {
                    var scorecardRules = new RoutingJudge(rules.rules(), RUN);
                    if (panel == null) {
                        panel = new RunLoadPanel(m.get(), scorecardRules);
                    } else {
                        panel.update(m.get(), scorecardRules);
                    }
                }
            }
            return (System.nanoTime() - start) / 1_000_000;
        }

        long displayedDecisions() {
            return shown == null ? 0 : shown.decisions();
        }
    }
}
