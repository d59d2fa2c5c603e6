package io.moescope.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.probe.demo.DemoModelSpec;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** What a person sees: the demo run opens in a real browser, its heatmap drawn, its figures those of the API. */
@TestPropertySource(properties = "moescope.demo.max-new-tokens=6")
class DashboardBrowserTest extends EmbeddedPlatformTest {

    private static final int LAYERS = DemoModelSpec.defaults().numLayers();
    private static final int EXPERTS = DemoModelSpec.defaults().numExperts();

    private static Browser browser;

    @Autowired
    private TestRestTemplate http;

    @BeforeAll
    static void startBrowser(@LocalServerPort int port) throws Exception {
        assumeTrue(Browser.installed(), "browser tests need Debian's chromium and chromium-driver (.ci/run installs them)");
        browser = new Browser("http://localhost:" + port);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theDemoRunsHeatmapIsDrawnWithOneCellPerLayerAndExpertAndTheTableShowsTheApisFigures() throws Exception {
        RunPage run = new RunsPage(browser).open().openFinishedRun("demo", Duration.ofMinutes(2))
                .waitForHeatmap(Duration.ofSeconds(30));

        JsonNode cells = run.heatmapOption().path("series").get(0).path("data");
        assertThat(cells).hasSize(LAYERS * EXPERTS);
        assertThat(run.heatmapInkPixels()).as("coloured pixels on the heatmap canvas").isGreaterThan(1000);

        String runId = browser.driver().getCurrentUrl().replaceAll(".*/runs/", "");
        JsonNode metrics = http.getForObject("/api/runs/" + runId + "/metrics", JsonNode.class);
        for (JsonNode layer : metrics.path("layers")) {
            assertThat(run.layerMetricsCells())
                    .contains(String.format(Locale.ROOT, "%.3f", layer.path("maxVio").asDouble()))
                    .contains(String.format(Locale.ROOT, "%.3f", layer.path("normalisedEntropy").asDouble()));
        }
    }
}
