package io.moescope.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.PlatformTestAccess;
import io.moescope.platform.security.Role;
import io.moescope.platform.security.SignInThrottle;
import io.moescope.platform.security.UserAccounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Signing in through the login view, and what a viewer may not see: the admin pages and their navigation. */
class SignInBrowserTest extends EmbeddedPlatformTest {

    private static final By RUNS_GRID = By.id("runs-grid");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @LocalServerPort
    private int port;

    private Browser browser;

    @Autowired
    private UserAccounts users;
    @Autowired
    private SignInThrottle throttle;

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
    void aThrottledSignInIsToldHowLongToWaitInsteadOfWrongPassword() {
        users.create("browser-throttled", PlatformTestAccess.PASSWORD, Role.VIEWER);
        // Nine failures from elsewhere make this user wait 32 s, whatever the browser's speed; loopback stays free.
        for (int i = 0; i < 9; i++) {
            throttle.failed("browser-throttled", "192.0.2.99");
        }
        var login = new LoginPage(browser).open();

        login.submit("browser-throttled", PlatformTestAccess.PASSWORD);
        login.waitForError();

        assertThat(login.errorText()).matches("Sign-in paused: too many failed sign-ins for user"
                + " 'browser-throttled'; try again in [0-9]+ s");
        browser.screenshot("login-throttled");
        throttle.lift("user:browser-throttled");
        login.open().signIn("browser-throttled", PlatformTestAccess.PASSWORD);
    }

    @Test
    void anAdminCreatesAnApiTokenThatIsShownOnceAndOpensTheApi() throws Exception {
        new LoginPage(browser).open().signIn(PlatformTestAccess.ADMIN, PlatformTestAccess.PASSWORD);
        var users = new UsersPage(browser).openFromNavigation();
        assertThat(users.usersText()).contains(PlatformTestAccess.VIEWER);

        String token = users.createToken("made in the browser");
        browser.screenshot("users-and-tokens");

        assertThat(token).startsWith("msk_");
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/runs"))
                .header("Authorization", "Bearer " + token).build();
        assertThat(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
        assertThat(users.tokensText()).doesNotContain(token);
    }

    @Test
    void aViewerSeesNoAdminNavigationAndCannotOpenAnAdminPage() {
        new LoginPage(browser).open().signIn(PlatformTestAccess.VIEWER, PlatformTestAccess.PASSWORD);
        browser.waitUpTo(TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(RUNS_GRID));
        assertThat(browser.driver().findElements(UsersPage.NAV_ITEM)).isEmpty();

        browser.open("/admin/users");

        browser.waitUpTo(TIMEOUT).until(driver -> driver.findElement(By.tagName("body")).getText()
                .contains("Could not navigate to 'admin/users'"));
        assertThat(browser.driver().findElements(UsersPage.VIEW)).isEmpty();
        browser.screenshot("viewer-denied");
    }
}
