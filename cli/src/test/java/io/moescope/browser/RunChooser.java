package io.moescope.browser;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** A run chooser (Vaadin combo box): typing filters the runs, a click on one in the drop-down chooses it. */
final class RunChooser {

    private static final By ITEMS = By.cssSelector("vaadin-combo-box-item");

    private RunChooser() {
    }

    /** Chooses the first run whose label starts with {@code name + " ("}: the run's name, then its source. */
    static void choose(Browser browser, String chooserId, String name) {
        WebElement input = browser.driver().findElement(By.cssSelector("#" + chooserId + " input"));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), name);
        WebElement item = browser.waitUpTo(Duration.ofSeconds(10)).until(driver -> driver.findElements(ITEMS).stream()
                .filter(i -> i.isDisplayed() && i.getText().startsWith(name + " (")).findFirst().orElse(null));
        item.click();
        browser.waitUpTo(Duration.ofSeconds(10)).until(driver -> input.getDomProperty("value").startsWith(name + " ("));
    }
}
