package io.moescope.browser;

import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The Import & Replay view: an upload with its progress and summary, and replay controls with Cancel. */
final class ImportReplayPage {

    private final Browser browser;

    ImportReplayPage(Browser browser) {
        this.browser = browser;
    }

    ImportReplayPage open() {
        browser.open("/import");
        browser.waitUpTo(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("import-upload")).isEmpty());
        return this;
    }

    /** Types the top-k the trace does not say (before the upload, which starts at once). */
    ImportReplayPage topK(int k) {
        type("import-top-k", String.valueOf(k));
        return this;
    }

    /** Hands the file to vaadin-upload's file input (in its shadow root); the upload starts at once. */
    ImportReplayPage upload(Path file) {
        WebElement upload = browser.driver().findElement(By.id("import-upload"));
        upload.getShadowRoot().findElement(By.cssSelector("input[type=file]"))
                .sendKeys(file.toAbsolutePath().toString());
        return this;
    }

    /** Waits until the import ended and its summary shows; returns the summary's text. */
    String awaitSummary(Duration timeout) {
        browser.waitUpTo(timeout).until(d -> {
            WebElement summary = d.findElement(By.id("import-summary"));
            return summary.isDisplayed() && !summary.getText().isBlank();
        });
        return browser.driver().findElement(By.id("import-summary")).getText();
    }

    String importStatus() {
        return browser.driver().findElement(By.id("import-status")).getText();
    }

    ImportReplayPage startReplay(String run, double speed) {
        RunChooser.choose(browser, "replay-run", run);
        type("replay-speed", String.valueOf(speed));
        browser.driver().findElement(By.id("replay-start")).click();
        return this;
    }

    ImportReplayPage cancelReplay() {
        browser.driver().findElement(By.id("replay-cancel")).click();
        return this;
    }

    /** Waits until the replay's status line contains {@code text}; returns the line. */
    String awaitReplayStatus(String text, Duration timeout) {
        browser.waitUpTo(timeout).until(d -> replayStatus().contains(text));
        return replayStatus();
    }

    boolean replayProgressShown() {
        return browser.driver().findElement(By.id("replay-progress")).isDisplayed();
    }

    private String replayStatus() {
        return browser.driver().findElement(By.id("replay-status")).getText();
    }

    /** Vaadin text fields keep their input in a light-DOM {@code input} slot; Tab commits the value. */
    private void type(String fieldId, String text) {
        WebElement input = browser.driver().findElement(By.cssSelector("#" + fieldId + " input"));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text, Keys.TAB);
    }
}
