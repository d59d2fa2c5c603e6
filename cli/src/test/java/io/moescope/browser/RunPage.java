package io.moescope.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * A run's view: scorecards, the layer x expert heatmap, the per-layer metrics table, the load over time and the
 * sequence analysis with its evidence table.
 */
final class RunPage {

    private static final By HEATMAP = By.id("load-heatmap");
    private static final By METRIC_CELLS = By.cssSelector("#layer-metrics th, #layer-metrics td");
    private static final By EVIDENCE_CELLS = By.cssSelector("#layer-evidence th, #layer-evidence td");

    private final Browser browser;

    RunPage(Browser browser) {
        this.browser = browser;
    }

    /** Waits for ECharts' "finished" event, which the chart element reports as data-rendered. */
    RunPage waitForHeatmap(Duration timeout) {
        browser.waitUpTo(timeout).until(driver -> "true".equals(heatmap().getDomAttribute("data-rendered")));
        browser.screenshot("run");
        return this;
    }

    /** The option ECharts was given, as the server sent it. */
    JsonNode heatmapOption() throws Exception {
        String json = (String) script("return arguments[0].option;", heatmap());
        return new ObjectMapper().readTree(json);
    }

    /** Pixels of the heatmap's canvas that are not background: proves ECharts drew, not merely created a canvas. */
    long heatmapInkPixels() {
        Number ink = (Number) script("""
                const canvas = arguments[0].querySelector('canvas');
                const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let ink = 0;
                for (let i = 0; i < data.length; i += 4) {
                  if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) ink++;
                }
                return ink;""", heatmap());
        return ink.longValue();
    }

    /** The text of one scorecard, e.g. {@code scorecard(3, "max_vio")}. */
    String scorecard(int layer, String metric) {
        return browser.driver().findElement(By.id("score-" + layer + "-" + metric)).getText();
    }

    /** Starts the sequence analysis and waits until its charts are drawn and the token view is there. */
    RunPage analyseSequences(Duration timeout) {
        browser.click(By.id("analyse"));
        Charts.waitUntilDrawn(browser, "consistency-chart", timeout);
        Charts.waitUntilDrawn(browser, "coactivation-heatmap", timeout);
        Charts.waitUntilDrawn(browser, "timeline-heatmap", timeout);
        browser.waitUpTo(timeout).until(driver -> !driver.findElements(By.id("token-view")).isEmpty());
        browser.scrollTo(By.id("layer-evidence"));
        browser.screenshot("run-evidence");
        browser.scrollTo(By.id("consistency-chart"));
        browser.screenshot("run-sequences");
        browser.scrollTo(By.id("timeline-heatmap"));
        browser.screenshot("run-timeline");
        browser.scrollTo(By.id("token-view"));
        browser.screenshot("run-tokens");
        return this;
    }

    /**
     * Starts the sequence analysis of a run without sequences (an aggregate-only run: no chart of consistency or
     * co-activation is drawn) and waits for its token view.
     */
    RunPage analyseRunWithoutTokens(Duration timeout) {
        browser.click(By.id("analyse"));
        browser.waitUpTo(timeout).until(driver -> !driver.findElements(By.id("token-view")).isEmpty());
        browser.scrollTo(By.id("token-view"));
        browser.screenshot("run-without-tokens");
        return this;
    }

    /**
     * Waits until the load over time is drawn without pressing "Analyse sequences" (a run the minute rollups serve);
     * the label of the bucket shown then.
     */
    String waitForTimelineOnOpening(Duration timeout) {
        Charts.waitUntilDrawn(browser, "timeline-heatmap", timeout);
        browser.scrollTo(By.id("timeline-heatmap"));
        browser.screenshot("run-timeline-on-opening");
        return browser.driver().findElement(By.id("time-bucket")).getText();
    }

    /** The time slider's last position: the number of buckets less one. */
    String timeSliderMax() {
        return browser.driver().findElement(By.id("time-slider")).getDomAttribute("max");
    }

    /** Waits until the sequence panel shows a suite's evidence (stored, or analysed); its status line then. */
    String waitForEvidence(Duration timeout) {
        browser.waitUpTo(timeout).until(driver -> !driver.findElements(By.id("layer-evidence")).isEmpty());
        browser.scrollTo(By.id("layer-evidence"));
        browser.screenshot("run-stored-evidence");
        return browser.driver().findElement(By.id("sequence-status")).getText();
    }

    /** Whether the token view is there (it comes with an analysis, never with a stored suite alone). */
    boolean hasTokenView() {
        return !browser.driver().findElements(By.id("token-view")).isEmpty();
    }

    /** The token view's text, as shown. */
    String tokenViewText() {
        return browser.driver().findElement(By.id("token-view")).getText();
    }

    /** How many marks in the token view show where a request's generated tokens begin. */
    int generationStarts() {
        return browser.driver().findElements(By.cssSelector("#token-text .generation-start")).size();
    }

    /** The token view's tokens as drawn, in order; textContent, since getText() trims a lone space away. */
    List<String> tokenTexts() {
        return browser.driver().findElements(By.cssSelector("#token-text .token")).stream()
                .map(token -> token.getDomProperty("textContent")).toList();
    }

    List<String> layerMetricsCells() {
        return texts(METRIC_CELLS);
    }

    /**
     * Clicks the per-layer table's header that starts with {@code header} (the server sorts and sends the table
     * again) and waits until that header shows {@code arrow}, the order now shown (up: ascending).
     */
    RunPage sortLayerTable(String header, String arrow) {
        By th = By.xpath("//*[@id='layer-metrics']//th[starts-with(normalize-space(.), '" + header + "')]");
        browser.click(th);
        // the table is replaced whole: a header found may be gone by the time its text is read
        browser.waitUpTo(Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(driver -> driver.findElement(th).getText().endsWith(arrow));
        return this;
    }

    /** The per-layer table's first column, top to bottom. */
    List<String> layerTableLayers() {
        return browser.driver().findElements(By.cssSelector("#layer-metrics tbody td:first-child")).stream()
                .map(cell -> cell.getDomProperty("textContent").strip()).toList();
    }

    /**
     * The analysed suite's evidence table, headers and cells, also those scrolled out of sight (the table is wider
     * than the page): textContent, since WebDriver's getText() is empty for text not on screen.
     */
    List<String> evidenceCells() {
        return browser.driver().findElements(EVIDENCE_CELLS).stream()
                .map(cell -> cell.getDomProperty("textContent").strip()).toList();
    }

    /** The model's means over layers with their intervals, above the evidence table (by textContent: out of sight). */
    String modelEvidence() {
        return browser.driver().findElement(By.id("model-evidence")).getDomProperty("textContent").strip();
    }

    private List<String> texts(By cells) {
        return browser.driver().findElements(cells).stream().map(WebElement::getText).toList();
    }

    private WebElement heatmap() {
        return browser.driver().findElement(HEATMAP);
    }

    private Object script(String script, Object... args) {
        return ((JavascriptExecutor) browser.driver()).executeScript(script, args);
    }
}
