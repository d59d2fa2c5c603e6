package io.moescope.browser;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The admin-only Users & tokens view, reached through its navigation item. */
final class UsersPage {

    static final By NAV_ITEM = By.cssSelector("vaadin-side-nav-item[path='admin/users']");
    static final By VIEW = By.id("users-view");
    private static final By USERS = By.id("users-grid");
    private static final By TOKEN_NAME = By.cssSelector("#new-token-name input");
    private static final By CREATE_TOKEN = By.id("create-token");
    private static final By NEW_TOKEN = By.id("new-token");
    private static final By TOKENS = By.id("tokens-grid");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Browser browser;

    UsersPage(Browser browser) {
        this.browser = browser;
    }

    /** Clicks "Users & tokens" in the navigation and waits for the view. */
    UsersPage openFromNavigation() {
        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.elementToBeClickable(NAV_ITEM)).click();
        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(VIEW));
        return this;
    }

    String usersText() {
        return browser.driver().findElement(USERS).getText();
    }

    String tokensText() {
        return browser.driver().findElement(TOKENS).getText();
    }

    /** Creates a (viewer) token and returns the secret the view shows once. */
    String createToken(String name) {
        browser.driver().findElement(TOKEN_NAME).sendKeys(name);
        browser.driver().findElement(CREATE_TOKEN).click();
        browser.waitUpTo(TIMEOUT).until(driver -> !driver.findElement(NEW_TOKEN).getDomProperty("value").isEmpty()
                && tokensText().contains(name));
        return browser.driver().findElement(NEW_TOKEN).getDomProperty("value");
    }
}
