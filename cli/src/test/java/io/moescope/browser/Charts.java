package io.moescope.browser;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/** Waiting for an ECharts chart to be drawn: its element reports ECharts' "finished" event as data-rendered. */
final class Charts {

    /**
     * The box ECharts drew a component's view in (legend, visualMap), in the chart's pixels. The element keeps its
     * ECharts instance in {@code chart}; the view's group holds what was drawn, its transform places it.
     */
    private static final String COMPONENT_BOX = """
            const chart = arguments[0].chart;
            const model = chart.getModel().getComponent(arguments[1]);
            if (!model) { return null; }
            const group = chart.getViewOfComponentModel(model).group;
            const box = group.getBoundingRect().clone();
            if (group.transform) { box.applyTransform(group.transform); }
            return [box.x, box.y, box.width, box.height, chart.getWidth(), chart.getHeight()];
            """;

    private Charts() {
    }

    static void waitUntilDrawn(Browser browser, String id, Duration timeout) {
        browser.waitUpTo(timeout).until(driver -> driver.findElements(By.id(id)).stream()
                .anyMatch(chart -> "true".equals(chart.getDomAttribute("data-rendered"))));
    }

    /** Where a drawn chart's component (ECharts' name: "visualMap", "legend") lies, and the chart's size. */
    static Placement placement(Browser browser, String id, String component) {
        @SuppressWarnings("unchecked")
        List<Number> box = (List<Number>) ((JavascriptExecutor) browser.driver()).executeScript(COMPONENT_BOX,
                browser.driver().findElement(By.id(id)), component);
        if (box == null) {
            throw new AssertionError("chart " + id + " has no " + component);
        }
        return new Placement(id + " " + component, box.get(0).doubleValue(), box.get(1).doubleValue(),
                box.get(2).doubleValue(), box.get(3).doubleValue(), box.get(4).doubleValue(),
                box.get(5).doubleValue());
    }

    /** A component's box (x, y, width, height) in a chart of chartWidth x chartHeight pixels. */
    record Placement(String what, double x, double y, double width, double height, double chartWidth,
                     double chartHeight) {

        /** Nothing of the component is cut off by the chart's edges. */
        boolean inside() {
            return width > 0 && height > 0 && x >= 0 && y >= 0 && x + width <= chartWidth
                    && y + height <= chartHeight;
        }
    }
}
