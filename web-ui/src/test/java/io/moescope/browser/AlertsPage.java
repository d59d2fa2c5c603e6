package io.moescope.browser;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
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
        browser.driver().findElement(By.id("save-rule")).click();
        browser.waitUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.id("rule-message")).getText()
                .equals("Saved rule '" + name + "'."));
        return this;
    }

    /** Presses save with a name only: the service refuses it. */
    AlertsPage saveWithoutThreshold(String name) {
        browser.driver().findElement(By.id("new-rule")).click();
        type("rule-name", name);
        browser.driver().findElement(By.id("save-rule")).click();
        browser.waitUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElement(By.id("rule-message")).getText()
                .startsWith("Not saved"));
        return this;
    }

    String ruleMessage() {
        return browser.driver().findElement(By.id("rule-message")).getText();
    }

    /** Waits until the firing list has a row of this rule and subject (the view refreshes on every poll). */
    AlertsPage waitUntilFiring(String rule, String subject, Duration timeout) {
        browser.waitUpTo(timeout).until(driver -> {
            var cells = driver.findElements(FIRING_CELLS).stream().map(WebElement::getText).toList();
            for (int i = 0; i + 1 < cells.size(); i++) {
                if (cells.get(i).equals(rule) && cells.get(i + 1).equals(subject)) {
                    return true;
                }
            }
            return false;
        });
        browser.screenshot("alerts");
        return this;
    }

    /** Types into a Vaadin field's input and leaves it, which commits the value to the server. */
    private void type(String fieldId, String text) {
        WebElement input = browser.driver().findElement(By.cssSelector("#" + fieldId + " input"));
        input.clear();
        input.sendKeys(text, Keys.TAB);
    }
}
