package io.moescope.benchmarks.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.analytics.alerting.AlertMetric;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.load.ExpertLoadAccumulator;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.analytics.suite.MetricSuite;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.benchmarks.ingest.SyntheticRun;
import io.moescope.platform.MoescopeApplication;
import io.moescope.platform.alerts.AlertRuleService;
import io.moescope.platform.metrics.MetricSuiteService;
import io.moescope.platform.metrics.RoutingRows;
import io.moescope.platform.metrics.RunMetrics;
import io.moescope.platform.metrics.RunMetricsService;
import io.moescope.platform.metrics.SuiteAnswer;
import io.moescope.platform.metrics.TokenSet;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.timeline.LoadTimeline;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.PageRequest;

/**
 * What a user waits for on a run page and from the API's default metrics, over one stored run of N decisions, side
 * by side in one process (what {@code ./moescope bench-metrics} runs): the platform starts on embedded servers in a
 * scratch data dir, a synthetic run is stored through ingest's writer and ended, then each figure is fetched as the
 * application fetches it, one untimed call and then repeated calls, p50 and p95 printed beside the 1 s
 * target. Where a figure can come from the rollups or the stored suite, it is also computed from the raw rows, as
 * it would be without them, and the two are checked to agree.
 */
public final class MetricsBenchmark {

    /** What to measure: the run's shape and how many calls each figure gets. */
    public record Options(long decisions, int layers, int experts, int topK, int calls, int rawCalls) {
    }

    /** The target for every figure a user opens. */
    static final double TARGET_MILLIS = 1_000;
    /** The run page's time buckets (RunView.TIME_BUCKETS) and the Runs list's first page. */
    private static final int TIME_BUCKETS = 20;
    private static final int RUN_LIST_PAGE = 100;
    private static final String RUN_ID = "bench-metrics";
    private static final String READING = "reading every decision (reference)";
    private static final String SUITE = "default metric suite";
    private static final String SERVED_SUITE = "default metric suite, API answer as JSON";

    private final Options options;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();

    public MetricsBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** One line of the table. */
    private record Row(String figure, String source, Latencies latencies) {
    }

    /**
     * @param dataDir      a scratch directory for the platform's embedded servers (the caller deletes it)
     * @param tokensStored told the tokens stored so far while the run is generated
     */
    public void run(Path dataDir, LongConsumer tokensStored) throws Exception {
        try (ConfigurableApplicationContext app = platform(dataDir)) {
            SyntheticRun run = SyntheticRun.ofDecisions(RUN_ID, options.decisions(), options.layers(),
                    options.experts(), options.topK(), Instant.now().truncatedTo(ChronoUnit.MINUTES)
                            .minus(Duration.ofHours(1)), Duration.ofHours(1));
            long t0 = System.nanoTime();
            long decisions = StoredRun.write(app.getBean(DataSource.class), run, tokensStored);
            out.printf("%nStored %s: %,d decisions (%,d tokens x %d layers, top-%d of %d), ended, in %.1f s%n",
                    RUN_ID, decisions, run.tokens(), run.layers(), run.topK(), run.experts(),
                    (System.nanoTime() - t0) / 1e9);
            measure(app);
        }
    }

    /**
     * The whole platform, as {@code serve} runs it (its web server on a free port: its security configuration needs
     * the web context), less the demo and the background suite check. Given as arguments, which come before system
     * properties: the launcher names the user's data dir in one, and the benchmark must never write there.
     */
    private static ConfigurableApplicationContext platform(Path dataDir) {
        return new SpringApplicationBuilder(MoescopeApplication.class).run("--moescope.data-dir=" + dataDir,
                "--moescope.embedded.kafka-port=0", "--moescope.embedded.postgres-port=0", "--server.port=0",
                "--moescope.demo.enabled=false",
                // the background suite check would compute the run's suite while the figures are timed
                "--moescope.metrics.stored-suites-interval=0s", "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false", "--logging.level.root=ERROR");
    }

    private void measure(ConfigurableApplicationContext app) throws Exception {
        var catalog = app.getBean(RunCatalog.class);
        var metrics = app.getBean(RunMetricsService.class);
        var rawRows = app.getBean(RoutingRows.class);
        var rules = app.getBean(AlertRuleService.class);
        var suites = app.getBean(MetricSuiteService.class);
        var timeline = app.getBean(LoadTimeline.class);
        var json = app.getBean(ObjectMapper.class);
        TokenSet wholeRun = TokenSet.wholeRun(RUN_ID, Optional.empty());
        out.printf("load average %.2f before the calls%n", loadAverage());

        time("run list, first page of " + RUN_LIST_PAGE, "run table", options.calls(),
                () -> catalog.page(PageRequest.of(0, RUN_LIST_PAGE, RunCatalog.NEWEST_FIRST)));
        time("run summary (page header)", "run table", options.calls(), () -> catalog.find(RUN_ID).orElseThrow());
        RunMetrics rolledUp = time("load metrics per layer (heatmap, table)", "rollups", options.calls(),
                () -> metrics.metrics(RUN_ID, Optional.empty()).orElseThrow());
        List<LayerLoadMetrics> fromRaw = time("load metrics per layer (heatmap, table)", "raw rows",
                options.rawCalls(), () -> loadsFromRawRows(rawRows, wholeRun, rolledUp.numExperts()));
        agree("load metrics", counts(rolledUp.layers()), counts(fromRaw));
        time("scorecards: every layer judged by the alert rules", "rollups", options.calls(), () -> {
            RunMetrics m = metrics.metrics(RUN_ID, Optional.empty()).orElseThrow();
            return judged(new RoutingJudge(rules.rules(), RUN_ID), m.layers());
        });
        time(READING, "raw rows", options.rawCalls(), () -> {
            long[] decisions = {0};
            rawRows.forEach(wholeRun, token -> decisions[0] += token.decisions().size());
            return decisions[0];
        });
        MetricSuite computed = time(SUITE, "raw rows", options.rawCalls(),
                () -> suites.computed(wholeRun, SuiteOptions.defaults()).orElseThrow());
        long t0 = System.nanoTime();
        suites.suite(wholeRun, SuiteOptions.defaults()).orElseThrow();
        out.printf("first request of the ended run: its default suite computed and stored in %.2f s%n",
                (System.nanoTime() - t0) / 1e9);
        SuiteAnswer served = time(SERVED_SUITE, "stored suite", options.calls(), () -> {
            SuiteAnswer answer = suites.suite(wholeRun, SuiteOptions.defaults()).orElseThrow();
            json.writeValueAsBytes(answer);
            return answer;
        });
        if (!served.computed().stored()) {
            throw new IllegalStateException("the ended run's default suite was computed again, not served stored");
        }
        agree("default metric suite", json.writeValueAsString(computed), json.writeValueAsString(served.suite()));
        time("run page's stored suite (sequence panel)", "stored suite", options.calls(),
                () -> suites.ready(RUN_ID).orElseThrow());
        String overTime = "load over time, " + TIME_BUCKETS + " windows";
        LoadTimeline.Timeline cut = timeline.buckets(RUN_ID, Optional.empty(), TIME_BUCKETS).orElseThrow();
        LoadTimeline.Timeline shown = time(overTime, source(cut.source()), options.calls(),
                () -> timeline.buckets(RUN_ID, Optional.empty(), TIME_BUCKETS).orElseThrow());
        LoadTimeline.Timeline recounted = time(overTime, "raw rows", options.rawCalls(),
                () -> timeline.recounted(RUN_ID, Optional.empty(), cut));
        agree("load over time", shown.buckets(), recounted.buckets());
        out.printf("load average %.2f after the calls, on %d cores%n", loadAverage(),
                Runtime.getRuntime().availableProcessors());
        report();
    }

    /** The table's name of where a timeline's counts come from. */
    private static String source(LoadTimeline.Source source) {
        return source.rolledUp() ? "rollups" : "raw rows";
    }

    /** The run's loads counted from its raw decisions, as the rollups hold them. */
    private static List<LayerLoadMetrics> loadsFromRawRows(RoutingRows rows, TokenSet set, int numExperts) {
        var counts = new ExpertLoadAccumulator(numExperts);
        rows.forEach(set, counts::add);
        return counts.loads().stream().map(LayerLoadMetrics::of).toList();
    }

    private static List<ExpertLoad> counts(List<LayerLoadMetrics> layers) {
        return layers.stream().map(layer -> new ExpertLoad(layer.layer(), layer.counts())).toList();
    }

    /** What the scorecards show: each layer's figures, each judged by the enabled rules. */
    private static int judged(RoutingJudge judge, List<LayerLoadMetrics> layers) {
        int verdicts = 0;
        for (ExpertLoad load : counts(layers)) {
            for (AlertMetric metric : AlertMetric.values()) {
                judge.judge(metric, load);
                verdicts++;
            }
        }
        return verdicts;
    }

    private static void agree(String what, Object fromStore, Object fromRawRows) {
        if (!fromStore.equals(fromRawRows)) {
            throw new IllegalStateException(what + ": the answer from the store and the one from the raw rows"
                    + " differ");
        }
    }

    /** One untimed call, then {@code calls} timed ones; the last answer. */
    private <T> T time(String figure, String source, int calls, Callable<T> call) throws Exception {
        T answer = call.call();
        double[] millis = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            answer = call.call();
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Row row = new Row(figure, source, new Latencies(millis));
        rows.add(row);
        out.printf("  %s, from the %s: p50 %.1f ms, p95 %.1f ms%n", figure, source, row.latencies().p50(),
                row.latencies().p95());
        return answer;
    }

    private void report() {
        out.printf("%n%-52s %-13s %10s %10s %6s %10s%n", "figure", "from the", "p50 ms", "p95 ms", "calls",
                "p95 / 1 s");
        for (Row row : rows) {
            Latencies l = row.latencies();
            out.printf("%-52s %-13s %10.1f %10.1f %6d %9.2fx%n", row.figure(), row.source(), l.p50(), l.p95(),
                    l.calls(), l.p95() / TARGET_MILLIS);
        }
        double suite = latencies(SUITE).p50();
        out.printf("%ndefault suite from the raw rows: %.2fx the time of reading every decision; served stored: %.0fx"
                + " faster than computed (p50s)%n", suite / latencies(READING).p50(),
                suite / latencies(SERVED_SUITE).p50());
    }

    private Latencies latencies(String figure) {
        return rows.stream().filter(row -> row.figure().equals(figure)).findFirst().orElseThrow().latencies();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
