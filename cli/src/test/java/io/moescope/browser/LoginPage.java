package io.moescope.browser;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The login view: Vaadin's login form, whose inputs are light-DOM children of its text fields. */
final class LoginPage {

    private static final By FORM = By.tagName("vaadin-login-form");
    private static final By USERNAME = By.cssSelector("vaadin-login-form input[name='username']");
    private static final By PASSWORD = By.cssSelector("vaadin-login-form input[name='password']");
    private static final By SIGNED_IN = By.id("signed-in-user");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Browser browser;

    LoginPage(Browser browser) {
        this.browser = browser;
    }

    LoginPage open() {
        browser.open("/login");
        return waitUntilShown();
    }

    LoginPage waitUntilShown() {
        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(USERNAME));
        return this;
    }

    boolean isShown() {
        return !browser.driver().findElements(FORM).isEmpty();
    }

    /** Submits the form and waits until the dashboard shows who is signed in. */
    void signIn(String user, String password) {
        submit(user, password);
        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(SIGNED_IN));
    }

    /** Submits the form and returns at once, for a sign-in that is expected to fail. */
    void submit(String user, String password) {
        browser.driver().findElement(USERNAME).sendKeys(user);
        browser.driver().findElement(PASSWORD).sendKeys(password, Keys.ENTER);
    }

    /** The error the form shows, title and message: its i18n, which the login view sets for a throttled sign-in. */
    String errorText() {
        Object text = ((JavascriptExecutor) browser.driver()).executeScript(
                "const m = arguments[0].i18n.errorMessage; return m.title + ': ' + m.message;",
                browser.driver().findElement(FORM));
        return String.valueOf(text);
    }

    /** Waits until the form shows its "incorrect user name or password" message (Spring's {@code ?error}). */
    void waitForError() {
        browser.waitUpTo(TIMEOUT).until(driver -> driver.getCurrentUrl().contains("error")
                && "true".equals(driver.findElement(FORM).getDomProperty("error")));
    }
}
