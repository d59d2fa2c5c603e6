package io.moescope.browser;

import io.moescope.app.MoescopeApplication;
import io.moescope.app.alerts.AlertRuleService;
import io.moescope.app.metrics.RunMetrics;
import io.moescope.app.metrics.RunMetricsService;
import io.moescope.app.metrics.SuiteBenchmark;
import io.moescope.ui.charts.ExpertLoadHeatmap;
import io.moescope.ui.run.ScorecardRows;
import io.moescope.ui.run.ScorecardRules;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.openqa.selenium.By;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Not a test: time to first paint of a run view over a stored run of 10 M decisions (default 312,500 tokens x 32
 * layers, top-2 of 8). Two figures, each the median of several opens after one warm-up open:
 * <ul>
 *   <li>browser: from asking headless Chromium for /runs/bench until the heatmap reports ECharts' "finished" event
 *       and the scorecards are on the page (the whole round trip: HTTP, Vaadin, rollup queries, drawing);</li>
 *   <li>service: what the view computes before anything is sent: the rollup read, the scorecards judged by the
 *       alert rules, and the heatmap's option as JSON.</li>
 * </ul>
 * {@code web-ui/bench.sh io.moescope.browser.RunViewBenchmark [decisions=10000000] [layers=32] [experts=8] [opens=5]}
 */
public final class RunViewBenchmark {

    public static void main(String[] args) throws Exception {
        long decisions = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int experts = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int opens = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String dataDir = Files.createTempDirectory("moescope-runview-bench").toString();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MoescopeApplication.class)
                .properties("moescope.demo.enabled=false", "server.port=0", "moescope.embedded.kafka-port=0",
                        "moescope.embedded.postgres-port=0", "moescope.data-dir=" + dataDir)
                .run()) {
            var jdbc = app.getBean(JdbcTemplate.class);
            long t = System.nanoTime();
            SuiteBenchmark.generate(jdbc, decisions / layers, layers, experts);
            jdbc.update("INSERT INTO run_volume SELECT run_id, count(*), count(*) * ?, min(routed_at), max(routed_at)"
                    + " FROM token_routing WHERE run_id = 'bench' GROUP BY run_id", layers);
            System.out.printf("stored %,d decisions in %.1f s%n", decisions / layers * layers,
                    (System.nanoTime() - t) / 1e9);
            double[] service = new double[opens];
            var metrics = app.getBean(RunMetricsService.class);
            var rules = app.getBean(AlertRuleService.class);
            for (int i = -1; i < opens; i++) {
                t = System.nanoTime();
                RunMetrics m = metrics.metrics("bench", Optional.empty()).orElseThrow();
                ScorecardRows.of(m.layers(), new ScorecardRules(rules.rules(), "bench"));
                ExpertLoadHeatmap.builder().setNumExperts(m.numExperts()).setLayers(m.layers()).build().toOption()
                        .toString();
                if (i >= 0) {
                    service[i] = (System.nanoTime() - t) / 1e6;
                }
            }
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            double[] browserMs = new double[opens];
            try (var browser = new Browser("http://localhost:" + port)) {
                for (int i = -1; i < opens; i++) {
                    browser.open("/");
                    t = System.nanoTime();
                    browser.open("/runs/bench");
                    Charts.waitUntilDrawn(browser, "load-heatmap", Duration.ofSeconds(60));
                    browser.waitUpTo(Duration.ofSeconds(60)).until(driver ->
                            !driver.findElements(By.id("score-0-max_vio")).isEmpty());
                    if (i >= 0) {
                        browserMs[i] = (System.nanoTime() - t) / 1e6;
                    }
                }
                browser.screenshot("bench-run");
            }
            System.out.printf("service (rollups + scorecards + heatmap option), %d opens: median %.1f ms, all %s%n",
                    opens, median(service), Arrays.toString(round(service)));
            System.out.printf("browser (navigate -> heatmap drawn + scorecards shown), %d opens: median %.0f ms, all %s%n",
                    opens, median(browserMs), Arrays.toString(round(browserMs)));
        }
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
