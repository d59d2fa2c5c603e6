package io.moescope.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.PlatformTestAccess;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Signing in through the login view, and what a viewer may not see: the admin pages and their navigation. */
class SignInBrowserTest extends EmbeddedPlatformTest {

    private static final By RUNS_GRID = By.id("runs-grid");
    private static final By USERS_VIEW = By.id("users-view");
    private static final By ADMIN_NAV = By.cssSelector("vaadin-side-nav-item[path='admin/users']");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @LocalServerPort
    private int port;

    private Browser browser;

    @BeforeEach
    void startSignedOut() throws Exception {
        assumeTrue(Browser.installed(), "browser tests need Debian's chromium and chromium-driver (.ci/run installs them)");
        browser = Browser.signedOut("http://localhost:" + port);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aSignedOutVisitorIsSentToTheLoginViewAndSigningInOpensTheRunsView() {
        browser.open("/");
        var login = new LoginPage(browser).waitUntilShown();
        assertThat(browser.driver().getCurrentUrl()).endsWith("/login");
        browser.screenshot("login");

        login.signIn(PlatformTestAccess.ADMIN, PlatformTestAccess.PASSWORD);

        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(RUNS_GRID));
        assertThat(browser.driver().findElement(By.id("signed-in-user")).getText()).isEqualTo(PlatformTestAccess.ADMIN);
        browser.screenshot("signed-in-runs");
    }

    @Test
    void aWrongPasswordKeepsTheVisitorOnTheLoginViewWithAnError() {
        var login = new LoginPage(browser).open();
        login.submit(PlatformTestAccess.ADMIN, "not-the-password");

        login.waitForError();
        assertThat(browser.driver().findElements(RUNS_GRID)).isEmpty();
        browser.screenshot("login-error");
    }

    @Test
    void anAdminSeesTheUsersAndTokensPage() {
        new LoginPage(browser).open().signIn(PlatformTestAccess.ADMIN, PlatformTestAccess.PASSWORD);
        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.elementToBeClickable(ADMIN_NAV)).click();

        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(USERS_VIEW));
        assertThat(browser.driver().findElement(By.id("users-grid")).getText()).contains(PlatformTestAccess.VIEWER);
        browser.screenshot("users-and-tokens");
    }

    @Test
    void aViewerSeesNoAdminNavigationAndCannotOpenAnAdminPage() {
        new LoginPage(browser).open().signIn(PlatformTestAccess.VIEWER, PlatformTestAccess.PASSWORD);
        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(RUNS_GRID));
        assertThat(browser.driver().findElements(ADMIN_NAV)).isEmpty();

        browser.open("/admin/users");

        browser.waitUpTo(TIMEOUT).until(driver -> driver.findElement(By.tagName("body")).getText()
                .contains("Could not navigate to 'admin/users'"));
        assertThat(browser.driver().findElements(USERS_VIEW)).isEmpty();
        browser.screenshot("viewer-denied");
    }
}
