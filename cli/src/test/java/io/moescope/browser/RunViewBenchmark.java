package io.moescope.browser;

import io.moescope.dashboard.charts.ExpertLoadHeatmap;
import io.moescope.dashboard.run.ScorecardRows;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.platform.PlatformTestAccess;
import io.moescope.platform.ScratchPlatform;
import io.moescope.platform.alerts.AlertRuleService;
import io.moescope.platform.metrics.RunMetrics;
import io.moescope.platform.metrics.RunMetricsService;
import io.moescope.platform.metrics.SuiteBenchmark;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Not a test: time to first paint of a run view over a stored run of 10 M decisions (default 312,500 tokens x 32
 * layers, top-2 of 8). Two figures, each the median of several opens after one warm-up open:
 * <ul>
 *   <li>browser: until the heatmap reports ECharts' "finished" event and the scorecards are on the page, both for
 *       a page load of /runs/bench (HTTP, Vaadin's bootstrap, rollup queries, drawing) and for a click on the run in
 *       the Runs list (how people open a run); the Runs list's own page load is printed as the baseline;</li>
 *   <li>service: what the view computes before anything is sent: the rollup read, the scorecards judged by the
 *       alert rules, and the heatmap's option as JSON.</li>
 * </ul>
 * {@code cli/bench.sh io.moescope.browser.RunViewBenchmark [decisions=10000000] [layers=32] [experts=8] [opens=5]}
 */
public final class RunViewBenchmark {

    public static void main(String[] args) throws Exception {
        long decisions = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int experts = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int opens = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        try (ConfigurableApplicationContext app = ScratchPlatform.start("runview-bench", PlatformTestAccess.class)) {
            var jdbc = app.getBean(JdbcTemplate.class);
            long t = System.nanoTime();
            SuiteBenchmark.generate(jdbc, decisions / layers, layers, experts);
            System.out.printf("stored %,d decisions in %.1f s%n", decisions / layers * layers,
                    (System.nanoTime() - t) / 1e9);
            double[] service = new double[opens];
            var metrics = app.getBean(RunMetricsService.class);
            var rules = app.getBean(AlertRuleService.class);
            for (int i = -1; i < opens; i++) {
                t = System.nanoTime();
                RunMetrics m = metrics.metrics("bench", Optional.empty()).orElseThrow();
                ScorecardRows.of(m.layers(), new RoutingJudge(rules.rules(), "bench"));
                ExpertLoadHeatmap.builder().setNumExperts(m.numExperts()).setLayers(m.layers()).build().toOption()
                        .toString();
                record(service, i, t);
            }
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            double[] fullLoad = new double[opens];
            double[] inApp = new double[opens];
            double[] runsList = new double[opens];
            try (var browser = new Browser("http://localhost:" + port)) {
                for (int i = -1; i < opens; i++) {
                    browser.open("/alerts");
                    t = System.nanoTime();
                    browser.open("/runs/bench");
                    waitForRunView(browser);
                    record(fullLoad, i, t);

                    t = System.nanoTime();
                    browser.open("/");
                    By benchCell = By.xpath("//vaadin-grid-cell-content[text()='bench']");
                    browser.waitUpTo(Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(5))
                            .until(d -> !d.findElements(benchCell).isEmpty());
                    record(runsList, i, t);

                    t = System.nanoTime();
                    browser.click(benchCell);
                    waitForRunView(browser);
                    record(inApp, i, t);
                }
                browser.screenshot("bench-run");
            }
            System.out.printf("service (rollups + scorecards + heatmap option), %d opens: median %.1f ms, all %s%n",
                    opens, median(service), Arrays.toString(round(service)));
            print("browser, page load of /runs/bench -> heatmap drawn + scorecards shown", fullLoad);
            print("browser, click in the Runs list -> heatmap drawn + scorecards shown", inApp);
            print("browser, baseline: page load of the Runs list -> its grid shows the run", runsList);
        }
    }

    /**
     * Polls every 5 ms in one script call each: WebDriverWait's default 500 ms polling added 0-500 ms to every figure
     * (the page had drawn ~250 ms before the benchmark noticed, on average).
     */
    private static void waitForRunView(Browser browser) {
        var js = (JavascriptExecutor) browser.driver();
        browser.waitUpTo(Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(5)).until(driver -> Boolean.TRUE
                .equals(js.executeScript(RUN_VIEW_SHOWN)));
    }

    private static final String RUN_VIEW_SHOWN = "const heatmap = document.getElementById('load-heatmap');"
            + " return heatmap !== null && heatmap.getAttribute('data-rendered') === 'true'"
            + " && document.getElementById('score-0-max_vio') !== null;";

    /** Round -1 warms up (JIT, browser cache) and is not recorded. */
    private static void record(double[] times, int round, long startNanos) {
        if (round >= 0) {
            times[round] = (System.nanoTime() - startNanos) / 1e6;
        }
    }

    private static void print(String what, double[] times) {
        System.out.printf("%s, %d opens: median %.0f ms, all %s%n", what, times.length, median(times),
                Arrays.toString(round(times)));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
