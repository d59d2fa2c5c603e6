package io.moescope.browser;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;

/** The Alerts view: the rule form (its defaults: metric max_vio, each layer, above) and the firing alerts. */
final class AlertsPage {

    private static final By FIRING_CELLS = By.cssSelector("#firing-alerts vaadin-grid-cell-content");

    private final Browser browser;

    AlertsPage(Browser browser) {
        this.browser = browser;
    }

    AlertsPage open() {
        browser.open("/alerts");
        browser.waitUpTo(Duration.ofSeconds(30)).until(driver -> !driver.findElements(By.id("save-rule")).isEmpty());
        return this;
    }

    /** Creates a rule on the form's default metric and scope (MaxVio of each layer, above the threshold). */
    AlertsPage createMaxVioRule(String name, double threshold) {
        type("rule-name", name);
        type("rule-threshold", String.valueOf(threshold));
        browser.click(By.id("save-rule"));
        browser.waitUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.id("rule-message")).getText()
                .equals("Saved rule '" + name + "'."));
        return this;
    }

    /** Presses save with a name only: the service refuses it. */
    AlertsPage saveWithoutThreshold(String name) {
        browser.click(By.id("new-rule"));
        type("rule-name", name);
        browser.click(By.id("save-rule"));
        browser.waitUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.id("rule-message")).getText()
                .startsWith("Not saved"));
        return this;
    }

    String ruleMessage() {
        return browser.driver().findElement(By.id("rule-message")).getText();
    }

    /** Waits until the firing list has a row of this rule and subject (the view refreshes on every poll). */
    AlertsPage waitUntilFiring(String rule, String subject, Duration timeout) {
        try {
            browser.waitUpTo(timeout).until(driver -> hasRow(firingCells(), rule, subject));
        } catch (TimeoutException e) {
            browser.screenshot("alerts-not-firing");
            throw new AssertionError("no firing alert '" + rule + "' on " + subject + "; the list shows "
                    + firingCells(), e);
        }
        browser.scrollTo(By.id("firing-alerts"));
        browser.screenshot("alerts");
        return this;
    }

    private List<String> firingCells() {
        return browser.driver().findElements(FIRING_CELLS).stream()
                .map(cell -> cell.getDomProperty("textContent")).toList();
    }

    private static boolean hasRow(List<String> cells, String rule, String subject) {
        for (int i = 0; i + 1 < cells.size(); i++) {
            if (cells.get(i).equals(rule) && cells.get(i + 1).equals(subject)) {
                return true;
            }
        }
        return false;
    }

    /** Types into a Vaadin field's input and leaves it, which commits the value to the server. */
    private void type(String fieldId, String text) {
        WebElement input = browser.driver().findElement(By.cssSelector("#" + fieldId + " input"));
        input.clear();
        input.sendKeys(text, Keys.TAB);
    }
}
