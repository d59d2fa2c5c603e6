package io.moescope.browser;

import java.time.Duration;

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
