package io.moescope.browser;

import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.benchmarks.ingest.SyntheticRun;
import io.moescope.benchmarks.metrics.Latencies;
import io.moescope.benchmarks.metrics.StoredRun;
import io.moescope.platform.PlatformTestAccess;
import io.moescope.platform.ScratchPlatform;
import io.moescope.platform.metrics.MetricSuiteService;
import io.moescope.platform.metrics.TokenSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Not a test: the run page of an ended run of 10 M decisions (default 313,000 tokens x 32 layers, top-2 of 8, the
 * run {@code ./moescope bench-metrics} measures, stored the same way), in headless Chromium, from navigation until
 * every panel is drawn with its data. Drawn means:
 * <ul>
 *   <li>header: the run's name in the header; load heatmap and MaxVio chart: ECharts' "finished" event
 *       ({@code data-rendered}); scorecards: the first layer's first card; layer table: at least two non-empty
 *       cells per layer (more than a header row holds; grid cells, or a table's body cells); load over time (the run
 *       spans an hour: 20 buckets of whole minutes from the minute rollups, no button): "finished";</li>
 *   <li>the sequence panel, once the run's default suite is stored (as the background check stores an ended run's):
 *       its status line saying the stored analysis, the evidence table (as the layer table), the consistency chart
 *       and the co-activation heatmap ("finished").</li>
 * </ul>
 * Page loads of /runs/bench (HTTP, Vaadin's bootstrap, every query, drawing) are measured first before the suite is
 * stored (every panel but the sequence panel's figures), then after; then a click on the run in the Runs list (how
 * people open a run) and the Runs list's own page load (baseline). Each after one warm-up, {@code opens} times;
 * p50 and p95 (nearest rank) against the 1.5 s, when each panel was first seen drawn (polled every 5 ms in
 * one script call), and where a page load's time went by the page's Performance API.
 * The server side of the same figures: {@code ./moescope bench-metrics}.
 * {@code cli/bench.sh io.moescope.browser.RunViewBenchmark [decisions=10000000] [layers=32] [experts=8] [opens=10]}
 * <p>{@code cli/bench.sh -Dbench.profile=true io.moescope.browser.RunViewBenchmark ...} then profiles one page load
 * and one click ({@link PageProfile}: renderer metrics, V8 CPU profile, long animation frames, requests, DOM nodes
 * per panel); {@code -Dbench.profile.dir=DIR} also saves the CPU profiles (for DevTools) and the view's response.
 */
public final class RunViewBenchmark {

    private static final String RUN_ID = "bench";
    private static final double TARGET_MILLIS = 1_500;
    private static final List<String> PANELS = List.of("header", "load heatmap", "MaxVio chart", "scorecards",
            "layer table", "load over time", "sequence status", "evidence table", "consistency chart",
            "co-activation heatmap");
    /** One boolean per panel of {@link #PANELS}, in order; arguments[0] is the run's number of layers. */
    private static final String PANELS_DRAWN = """
            const drawn = id => { const e = document.getElementById(id);
                                  return e !== null && e.getAttribute('data-rendered') === 'true'; };
            const rows = id => Array.from(document.querySelectorAll(`#${id} vaadin-grid-cell-content, #${id} td`))
                                    .filter(c => c.textContent.trim() !== '').length >= 2 * arguments[0];
            const header = document.getElementById('run-header');
            const status = document.getElementById('sequence-status');
            return [header !== null && header.textContent.includes('%s'), drawn('load-heatmap'),
                    drawn('maxvio-chart'), document.getElementById('score-0-max_vio') !== null, rows('layer-metrics'),
                    drawn('timeline-heatmap'), status !== null && status.textContent.startsWith('Stored analysis'),
                    rows('layer-evidence'),
                    drawn('consistency-chart'), drawn('coactivation-heatmap')];""".formatted(RUN_ID);
    private static final Duration PAGE_TIMEOUT = Duration.ofMinutes(2);
    /** The run's row in the Runs list. */
    private static final By RUN_CELL = By.xpath("//vaadin-grid-cell-content[text()='" + RUN_ID + "']");

    public static void main(String[] args) throws Exception {
        long decisions = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int experts = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int opens = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        // the background check would store the run's suite while the page without it is measured
        System.setProperty("moescope.metrics.stored-suites-interval", "0s");
        try (ConfigurableApplicationContext app = ScratchPlatform.start("runview-bench", PlatformTestAccess.class)) {
            SyntheticRun run = SyntheticRun.ofDecisions(RUN_ID, decisions, layers, experts, 2,
                    Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1)), Duration.ofHours(1));
            long t = System.nanoTime();
            long stored = StoredRun.write(app.getBean(DataSource.class), run, tokens -> {
                if (tokens * 10 / run.tokens() != Math.max(0, tokens - 10_000) * 10 / run.tokens()) {
                    System.out.printf("  stored %,d of %,d tokens%n", tokens, run.tokens());
                }
            });
            System.out.printf("stored %,d decisions in %.1f s%n", stored, (System.nanoTime() - t) / 1e9);
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            try (var browser = new Browser("http://localhost:" + port)) {
                System.out.println("Before the run's default suite is stored (the sequence panel shows its button):");
                pageLoads(browser, layers, opens, PANELS.size() - SEQUENCE_PANELS);
                t = System.nanoTime();
                app.getBean(MetricSuiteService.class).suite(TokenSet.wholeRun(RUN_ID, Optional.empty()),
                        SuiteOptions.defaults()).orElseThrow();
                System.out.printf("default suite computed and stored in %.1f s%n", (System.nanoTime() - t) / 1e9);
                System.out.println("With the stored suite (every panel, the sequence panel's included):");
                pageLoads(browser, layers, opens, PANELS.size());
                clicks(browser, layers, opens);
                if (Boolean.getBoolean("bench.profile")) {
                    profile(browser, layers);
                }
                browser.screenshot("bench-run");
            }
        }
    }

    /**
     * Page loads of the run page until the first {@code panels} of {@link #PANELS} are drawn; for each, when every
     * panel was first seen drawn, and where the time went by the page's own Performance API: the document loaded
     * (Vaadin's bootstrap page and scripts), then Vaadin's requests (the server builds and sends the view: time
     * from request to last byte, and the JSON's size); from the last response on, the time is the browser's (building
     * the view from the JSON, drawing). Times are from the document's navigation start, the page load's from just
     * before the navigation was asked for.
     */
    private static void pageLoads(Browser browser, int layers, int opens, int panels) throws Exception {
        double[] loads = new double[opens];
        var panelTimes = new ArrayList<double[]>();
        PANELS.forEach(panel -> panelTimes.add(new double[opens]));
        double[][] phases = new double[PHASES.size()][opens];
        for (int i = -1; i < opens; i++) {
            browser.open("/alerts");
            long t = System.nanoTime();
            browser.open("/runs/" + RUN_ID);
            double[] seen = waitForPanels(browser, layers, panels, t);
            @SuppressWarnings("unchecked")
            List<Number> where = (List<Number>) ((JavascriptExecutor) browser.driver()).executeScript(WHERE_TIME_WENT);
            if (i >= 0) {
                loads[i] = max(seen);
                for (int p = 0; p < panels; p++) {
                    panelTimes.get(p)[i] = seen[p];
                }
                for (int p = 0; p < PHASES.size(); p++) {
                    phases[p][i] = where.get(p).doubleValue();
                }
            }
        }
        print("page load of /runs/" + RUN_ID + " -> " + (panels == PANELS.size() ? "every panel" : "every panel"
                + " but the stored suite's") + " drawn", loads);
        System.out.println("  when each panel was first seen drawn:");
        for (int p = 0; p < panels; p++) {
            var l = new Latencies(panelTimes.get(p));
            System.out.printf("    %-24s p50 %6.0f ms  p95 %6.0f ms%n", PANELS.get(p), l.p50(), l.p95());
        }
        System.out.println("  where the time went (Performance API of the page, p50 of each):");
        for (int p = 0; p < PHASES.size(); p++) {
            System.out.printf("    %-60s %8.0f%n", PHASES.get(p), new Latencies(phases[p]).p50());
        }
    }

    /** A click on the run in the Runs list until every panel is drawn, and the Runs list's own page load. */
    private static void clicks(Browser browser, int layers, int opens) throws Exception {
        double[] clicks = new double[opens];
        double[] runsList = new double[opens];
        for (int i = -1; i < opens; i++) {
            long t = System.nanoTime();
            browser.open("/");
            browser.waitUpTo(PAGE_TIMEOUT).pollingEvery(Duration.ofMillis(5))
                    .until(d -> !d.findElements(RUN_CELL).isEmpty());
            record(runsList, i, t);
            t = System.nanoTime();
            browser.click(RUN_CELL);
            double[] seen = waitForPanels(browser, layers, PANELS.size(), t);
            if (i >= 0) {
                clicks[i] = max(seen);
            }
        }
        print("click in the Runs list -> every panel drawn", clicks);
        print("baseline: page load of the Runs list -> its grid shows the run", runsList);
    }

    /**
     * With {@code -Dbench.profile=true}: where the browser's time goes in one page load and one click from the Runs
     * list ({@link PageProfile}), every panel drawn.
     */
    private static void profile(Browser browser, int layers) {
        List<String> ids = List.of("run-header", "scorecards", "load-heatmap", "maxvio-chart", "layer-metrics",
                "timeline-heatmap", "sequence-panel", "layer-evidence", "consistency-chart", "coactivation-heatmap");
        browser.open("/alerts");
        PageProfile.print(browser, "a page load of /runs/" + RUN_ID, () -> {
            browser.open("/runs/" + RUN_ID);
            waitUntilDrawn(browser, layers);
        }, ids);
        browser.open("/");
        browser.waitUpTo(PAGE_TIMEOUT).until(d -> !d.findElements(RUN_CELL).isEmpty());
        PageProfile.print(browser, "a click on the run in the Runs list", () -> {
            browser.click(RUN_CELL);
            waitUntilDrawn(browser, layers);
        }, ids);
    }

    private static void waitUntilDrawn(Browser browser, int layers) {
        try {
            waitForPanels(browser, layers, PANELS.size(), System.nanoTime());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sequence panel's, last in {@link #PANELS}: shown at once only where the run's suite is stored. */
    private static final int SEQUENCE_PANELS = 4;
    private static final List<String> PHASES = List.of("document loaded (ms after navigation start)",
            "first Vaadin request sent (ms after navigation start)",
            "last Vaadin response received (ms after navigation start)", "Vaadin requests: count",
            "Vaadin requests: request to last byte, summed (ms)", "Vaadin requests: JSON received (kB, uncompressed)");
    private static final String WHERE_TIME_WENT = """
            const nav = performance.getEntriesByType('navigation')[0];
            const vaadin = performance.getEntriesByType('resource').filter(r => r.name.includes('v-r='));
            return [nav.loadEventEnd, Math.min(...vaadin.map(r => r.startTime)),
                    Math.max(...vaadin.map(r => r.responseEnd)), vaadin.length,
                    vaadin.reduce((s, r) => s + r.responseEnd - r.requestStart, 0),
                    vaadin.reduce((s, r) => s + r.decodedBodySize, 0) / 1024];""";

    /**
     * Polls every 5 ms in one script call each (WebDriverWait's default 500 ms polling once added 0-500 ms to every
     * figure) until the first {@code panels} of {@link #PANELS} are drawn.
     *
     * @return for each of them, milliseconds from {@code startNanos} until it was first seen drawn
     */
    private static double[] waitForPanels(Browser browser, int layers, int panels, long startNanos)
            throws Exception {
        var js = (JavascriptExecutor) browser.driver();
        double[] seen = new double[panels];
        java.util.Arrays.fill(seen, -1);
        long deadline = System.nanoTime() + PAGE_TIMEOUT.toNanos();
        int pending = seen.length;
        while (pending > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not drawn after " + PAGE_TIMEOUT + ": " + missing(seen));
            }
            @SuppressWarnings("unchecked")
            List<Boolean> drawn = (List<Boolean>) js.executeScript(PANELS_DRAWN, layers);
            double now = (System.nanoTime() - startNanos) / 1e6;
            pending = 0;
            for (int p = 0; p < seen.length; p++) {
                if (seen[p] < 0 && Boolean.TRUE.equals(drawn.get(p))) {
                    seen[p] = now;
                }
                pending += seen[p] < 0 ? 1 : 0;
            }
            Thread.sleep(5);
        }
        return seen;
    }

    private static List<String> missing(double[] seen) {
        var missing = new ArrayList<String>();
        for (int p = 0; p < seen.length; p++) {
            if (seen[p] < 0) {
                missing.add(PANELS.get(p));
            }
        }
        return missing;
    }

    /** Round -1 warms up (JIT, browser cache) and is not recorded. */
    private static void record(double[] times, int round, long startNanos) {
        if (round >= 0) {
            times[round] = (System.nanoTime() - startNanos) / 1e6;
        }
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElseThrow();
    }

    private static void print(String what, double[] times) {
        var l = new Latencies(times);
        System.out.printf("%s, %d opens: p50 %.0f ms, p95 %.0f ms (p95 / 1.5 s: %.2fx), all %s%n", what, l.calls(),
                l.p50(), l.p95(), l.p95() / TARGET_MILLIS, java.util.Arrays.toString(
                        java.util.Arrays.stream(times).mapToLong(Math::round).toArray()));
    }
}
