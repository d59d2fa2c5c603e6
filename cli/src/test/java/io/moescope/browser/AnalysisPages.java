package io.moescope.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The analysis views opened on a run through their links (query parameters choose the run, as the run view's links
 * do), each waited on until its main chart is drawn, and photographed.
 */
final class AnalysisPages {

    private final Browser browser;

    AnalysisPages(Browser browser) {
        this.browser = browser;
    }

    /** Warm-up of the run's first layer, at the preselected cache sizes. */
    void openWarmup(String runId, Duration timeout) {
        open("/warmup?run=" + runId, "warmup-chart", "warmup", timeout);
    }

    /** Warm-up of an offloaded probe run, waited on until the measured chart is drawn; its option as sent. */
    JsonNode openMeasuredWarmup(String runId, Duration timeout) throws Exception {
        open("/warmup?run=" + runId, "measured-chart", "warmup-measured", timeout);
        String json = (String) ((JavascriptExecutor) browser.driver()).executeScript("return arguments[0].option;",
                browser.driver().findElement(By.id("measured-chart")));
        return new ObjectMapper().readTree(json);
    }

    /** What the warm-up view's measured section says for a run without offloading. */
    String measuredEmptyState() {
        return browser.driver().findElement(By.id("measured-empty")).getText();
    }

    void openCompare(String runA, String runB, Duration timeout) {
        open("/compare?a=" + runA + "&b=" + runB, "divergence-chart", "compare", timeout);
    }

    /** Placement with the form's defaults (4 GPUs, 1 group, 1 node). */
    void openPlacement(String runId, Duration timeout) {
        open("/placement?run=" + runId, "balancedness-chart", "placement", timeout);
    }

    private void open(String path, String chartId, String screenshot, Duration timeout) {
        browser.open(path);
        Charts.waitUntilDrawn(browser, chartId, timeout);
        browser.screenshot(screenshot);
    }
}
