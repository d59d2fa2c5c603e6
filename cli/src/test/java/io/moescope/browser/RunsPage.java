package io.moescope.browser;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The Runs list: a lazy Vaadin grid whose cells render into light-DOM cell contents. */
final class RunsPage {

    private static final By CELLS = By.cssSelector("#runs-grid vaadin-grid-cell-content");

    private final Browser browser;

    RunsPage(Browser browser) {
        this.browser = browser;
    }

    RunsPage open() {
        browser.open("/");
        return this;
    }

    /** Waits until a run of this name shows as finished, then opens it. */
    RunPage openFinishedRun(String name, Duration timeout) {
        waitForFinishedRun(name, timeout);
        browser.screenshot("runs");
        cellWithText(name).click();
        return new RunPage(browser);
    }

    RunsPage waitForFinishedRun(String name, Duration timeout) {
        browser.waitUpTo(timeout).until(driver -> rowText(name).contains("finished"));
        return this;
    }

    /** The texts of the first row of a run of this name, joined by spaces; empty when none shows. */
    String rowText(String name) {
        // Cells of a row are consecutive in DOM order; the run name is the first column.
        var cells = browser.driver().findElements(CELLS);
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).getText().equals(name)) {
                var row = new StringBuilder();
                for (int j = i; j < Math.min(cells.size(), i + 8); j++) {
                    row.append(cells.get(j).getText()).append(' ');
                }
                return row.toString();
            }
        }
        return "";
    }

    private WebElement cellWithText(String name) {
        return browser.waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(
                browser.driver().findElements(CELLS).stream().filter(c -> c.getText().equals(name)).findFirst()
                        .orElseThrow(() -> new AssertionError("no run named " + name + " in the grid"))));
    }
}
