package io.moescope.browser;

import java.time.Duration;
import org.openqa.selenium.By;

/** Waiting for an ECharts chart to be drawn: its element reports ECharts' "finished" event as data-rendered. */
final class Charts {

    private Charts() {
    }

    static void waitUntilDrawn(Browser browser, String id, Duration timeout) {
        browser.waitUpTo(timeout).until(driver -> driver.findElements(By.id(id)).stream()
                .anyMatch(chart -> "true".equals(chart.getDomAttribute("data-rendered"))));
    }
}
