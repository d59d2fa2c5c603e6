package io.moescope.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.ingest.copy.TokenRoutingCopyWriter;
import io.moescope.platform.CollapsingWorkload;
import io.moescope.platform.OffloadedProbe;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.run.ProbeResult;
import io.moescope.storage.runs.RunLifecycleWriter;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The dashboard's views in a real browser against the running platform (demo run through the probe, Kafka and
 * PostgreSQL): scorecards and heatmap of a run, its load over time, the sequence analysis, a rule created in the
 * Alerts view firing on a collapsing workload, and the analysis views drawing. Screenshots land in
 * target/screenshots.
 */
@TestPropertySource(properties = "moescope.demo.max-new-tokens=6")
class ViewsBrowserTest extends BrowserTest {

    private static final int LAYERS = DemoModelSpec.defaults().numLayers();
    private static final int EXPERTS = DemoModelSpec.defaults().numExperts();
    private static final Duration DEMO_RUN = Duration.ofMinutes(2);
    private static final Duration DRAWN = Duration.ofSeconds(30);
    /** The starts of the demo workload's prompts, req-1 to req-6, each without a line break. */
    private static final List<String> DEMO_PROMPT_STARTS = List.of("The mixture of experts routes every token",
            "def fibonacci(n):", "Bonjour! Comment allez-vous", "SELECT expert, count(*) FROM routing",
            "1, 1, 2, 3, 5, 8, 13", "Once upon a time, a router");

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcTemplate jdbc;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    private String openDemoRun() {
        new RunsPage(browser).open().openFinishedRun("demo", DEMO_RUN).waitForHeatmap(DRAWN);
        return browser.driver().getCurrentUrl().replaceAll(".*/runs/", "");
    }

    @Test
    void theRunsScorecardsShowTheApisFiguresNextToAHeatmapOfEveryLayerAndExpert() throws Exception {
        String runId = openDemoRun();
        RunPage run = new RunPage(browser);

        assertThat(run.heatmapOption().path("series").get(0).path("data")).hasSize(LAYERS * EXPERTS);
        assertLegendInside("load-heatmap", "visualMap");
        JsonNode metrics = http.getForObject("/api/runs/" + runId + "/metrics", JsonNode.class);
        assertThat(metrics.path("layers")).hasSize(LAYERS);
        for (JsonNode layer : metrics.path("layers")) {
            int l = layer.path("layer").asInt();
            assertThat(run.scorecard(l, "max_vio")).isEqualTo(fixed(layer.path("maxVio"), 3));
            assertThat(run.scorecard(l, "cv")).isEqualTo(fixed(layer.path("cv"), 3));
            assertThat(run.scorecard(l, "normalised_entropy")).isEqualTo(fixed(layer.path("normalisedEntropy"), 3));
            assertThat(run.scorecard(l, "effective_experts")).isEqualTo(fixed(layer.path("effectiveExperts"), 2));
            assertThat(run.scorecard(l, "dead_experts"))
                    .isEqualTo(String.valueOf(layer.path("deadExperts").path("dead").size()));
        }
        browser.screenshot("run-scorecards");
    }

    @Test
    void analysingARunsSequencesShowsTheEvidenceAndDrawsConsistencyCoActivationTimeAndTokensAsText() {
        String runId = openDemoRun();
        // The texts travel with the run's workload, on their own topic: wait until ingest stored them.
        await().atMost(DEMO_RUN).until(() -> jdbc.queryForObject("SELECT count(*) FROM token_text WHERE run_id = ?",
                Long.class, runId) > 0);

        RunPage run = new RunPage(browser).analyseSequences(Duration.ofSeconds(60));

        // Six demo requests: each layer's intervals, and the model's, are a bootstrap over them.
        assertThat(run.evidenceCells()).filteredOn("95 % intervals by bootstrap over 6 requests"::equals)
                .hasSize(LAYERS);
        assertThat(run.modelEvidence()).containsPattern("MaxVio \\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}\\]")
                .contains("95 % intervals by bootstrap over 6 requests");
        Grids.assertNothingCutOff(browser, "layer-evidence");

        // The request that arrived first reads first: <s> and its prompt, one byte token each on the demo's tokenizer.
        // Which one that is, Kafka's partitions do not fix: ingest's arrival order, its request keys, says.
        String first = jdbc.queryForObject("SELECT request_id FROM routing_request WHERE run_id = ?"
                + " ORDER BY request_key LIMIT 1", String.class, runId);
        String prompt = DEMO_PROMPT_STARTS.get(Integer.parseInt(first.substring("req-".length())) - 1);
        assertThat(String.join("", run.tokenTexts().subList(0, 1 + prompt.length()))).isEqualTo("<s>" + prompt);
        // Every demo request generates: each shown request marks where its prompt ends.
        assertThat(run.generationStarts()).isPositive();
    }

    /** The demo run has ended: its first request stores its suite, and the run view then shows it at once. */
    @Test
    void anEndedRunsStoredSuiteShowsWithoutPressingAnalyse() {
        String runId = openDemoRun();
        http.getForObject("/api/runs/" + runId + "/metrics", JsonNode.class);
        assertThat(http.getForObject("/api/runs/" + runId + "/metrics", JsonNode.class).path("computed")
                .path("stored").asBoolean()).isTrue();

        browser.open("/runs/" + runId);
        RunPage run = new RunPage(browser).waitForHeatmap(DRAWN);

        assertThat(run.waitForEvidence(DRAWN)).startsWith("Stored analysis of ")
                .contains("Press \"Analyse sequences\" for the load over time and the token view.");
        assertThat(run.hasTokenView()).isFalse();
    }

    /**
     * A run of 40 tokens a minute apart, written as ingest writes them: its span touches 40 minutes, so the run view
     * shows its load over time from the minute rollups at once, 20 buckets of 2 minutes.
     */
    @Test
    void aRunOfManyMinutesShowsItsLoadOverTimeOnOpeningWithoutPressingAnalyse() throws Exception {
        String runId = "forty-minutes";
        long start = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli() * 1000;
        var model = new ModelIdentity("minutes", "MixtralForCausalLM", EXPERTS, 2, 2, List.of(0, 1), 1_000L, 250L);
        var tokens = IntStream.range(0, 40).mapToObj(t -> new TokenRouting(runId, "q1", t, 1000 + t, Phase.DECODE,
                start + t * 60_000_000L, List.of(new RouterDecision(0, new int[] {t % EXPERTS, (t + 1) % EXPERTS},
                        new float[] {0.5f, 0.5f}, 0.5f), new RouterDecision(1, new int[] {0, 1},
                        new float[] {0.5f, 0.5f}, 0.5f)))).toList();
        try (Connection c = jdbc.getDataSource().getConnection()) {
            new RunLifecycleWriter().write(c, new RunLifecycle(runId, runId, RunStatus.STARTED, start, "probe", model,
                    0));
            c.setAutoCommit(false);
            new TokenRoutingCopyWriter().write(c, tokens);
            c.commit();
        }

        browser.open("/runs/" + runId);
        RunPage run = new RunPage(browser).waitForHeatmap(DRAWN);

        assertThat(run.waitForTimelineOnOpening(DRAWN))
                .isEqualTo("Bucket 1 of 20: 2026-03-01 10:00:00 UTC to 2026-03-01 10:02:00 UTC");
        assertThat(run.timeSliderMax()).isEqualTo("19");
        assertThat(run.hasTokenView()).isFalse();
    }

    @Test
    void aRuleCreatedInTheAlertsViewFiresWhenACollapsingWorkloadStreamsIn() {
        AlertsPage alerts = new AlertsPage(browser).open().createMaxVioRule("ui hot expert", 2.5);

        // The collapsed layer's MaxVio is 3 > 2.5.
        String runId = CollapsingWorkload.stream(bootstrapServers);

        alerts.waitUntilFiring("ui hot expert", runId + "/layer 0", Duration.ofSeconds(90));
    }

    @Test
    void aRuleWithoutAThresholdIsRefusedWithTheServicesMessage() {
        AlertsPage alerts = new AlertsPage(browser).open();

        alerts.saveWithoutThreshold("no threshold");

        assertThat(alerts.ruleMessage()).isEqualTo("Not saved: threshold: required");
    }

    @Test
    void theWarmupCompareAndPlacementViewsDrawTheirChartsForARun() {
        String runId = openDemoRun();
        var pages = new AnalysisPages(browser);

        pages.openWarmup(runId, DRAWN);
        assertThat(pages.measuredEmptyState()).contains("./moescope probe --expert-cache C");
        pages.openCompare(runId, runId, DRAWN);
        // Side by side, each heatmap has half the width: its colour legend must still fit.
        for (String heatmap : new String[] {"heatmap-a", "heatmap-b", "difference-heatmap"}) {
            Charts.waitUntilDrawn(browser, heatmap, DRAWN);
            assertLegendInside(heatmap, "visualMap");
        }
        pages.openPlacement(runId, DRAWN);
    }

    @Test
    void aClickOnALayerTableHeaderSortsByItAndASecondClickTheOtherWay() {
        openDemoRun();
        List<String> layers = IntStream.range(0, LAYERS).mapToObj(String::valueOf).toList();

        RunPage run = new RunPage(browser).sortLayerTable("Layer", "\u25B2");
        assertThat(run.layerTableLayers()).containsExactlyElementsOf(layers);

        run.sortLayerTable("Layer", "\u25BC");
        assertThat(run.layerTableLayers()).containsExactlyElementsOf(IntStream.range(0, LAYERS)
                .mapToObj(l -> String.valueOf(LAYERS - 1 - l)).toList());
    }

    @Test
    void theTablesShowTheirHeadersAndCellsWhole() {
        String runId = openDemoRun();
        Grids.assertNothingCutOff(browser, "layer-metrics");
        // Every demo run is "demo": the source column tells it from an import or a replay of the same name.
        assertThat(new RunsPage(browser).open().waitForFinishedRun("demo", DEMO_RUN).rowText("demo"))
                .startsWith("demo probe ");
        Grids.assertNothingCutOff(browser, "runs-grid");
        var pages = new AnalysisPages(browser);
        pages.openWarmup(runId, DRAWN);
        Grids.assertNothingCutOff(browser, "warmup-table");
        pages.openPlacement(runId, DRAWN);
        Grids.assertNothingCutOff(browser, "placement-gpus");
        new AlertsPage(browser).open();
        Grids.assertNothingCutOff(browser, "alert-rules");
        Grids.assertNothingCutOff(browser, "alert-history");
        browser.open("/admin/users");
        browser.waitUpTo(DRAWN).until(driver -> !driver.findElements(org.openqa.selenium.By.cssSelector(
                "#users-grid vaadin-grid-cell-content")).isEmpty());
        Grids.assertNothingCutOff(browser, "users-grid");
        Grids.assertNothingCutOff(browser, "tokens-grid");
        browser.screenshot("users");
    }

    private void assertLegendInside(String chart, String component) {
        Charts.Placement legend = Charts.placement(browser, chart, component);
        assertThat(legend.inside()).as("%s", legend).isTrue();
    }

    @Test
    void theWarmupViewDrawsWhatAnOffloadedProbeRunMeasuredNextToTheSimulation() throws Exception {
        ProbeResult offloaded = OffloadedProbe.run(bootstrapServers, UnaryOperator.identity());
        await().atMost(DEMO_RUN).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM token_routing_named WHERE run_id = ?", Long.class, offloaded.runId()) == offloaded.promptTokens() + offloaded.generatedTokens());

        JsonNode chart = new AnalysisPages(browser).openMeasuredWarmup(offloaded.runId(), DRAWN);

        assertThat(chart.path("series").findValuesAsText("name")).containsExactly("measured, LRU C = 2",
                "simulated LRU, C = 2", "simulated LFU, C = 2", "simulated BELADY, C = 2");
        assertThat(browser.driver().findElements(org.openqa.selenium.By.cssSelector("#measured-table")))
                .hasSize(1);
    }

    private static String fixed(JsonNode value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value.asDouble());
    }
}
