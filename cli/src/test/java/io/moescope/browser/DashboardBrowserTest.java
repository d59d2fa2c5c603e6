package io.moescope.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.probe.demo.DemoModelSpec;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.TestPropertySource;

/** What a person sees: the demo run opens in a real browser, its heatmap drawn, its figures those of the API. */
@TestPropertySource(properties = "moescope.demo.max-new-tokens=6")
class DashboardBrowserTest extends BrowserTest {

    private static final int LAYERS = DemoModelSpec.defaults().numLayers();
    private static final int EXPERTS = DemoModelSpec.defaults().numExperts();

    @Autowired
    private TestRestTemplate http;

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
