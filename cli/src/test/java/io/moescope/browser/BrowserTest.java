package io.moescope.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.moescope.platform.EmbeddedPlatformTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A test that drives the running platform through a real browser, signed in as the test admin: one browser per
 * test class (starting chromium costs seconds), skipped where chromium is not installed.
 */
abstract class BrowserTest extends EmbeddedPlatformTest {

    /** Static because JUnit's per-class setup is; shared by the tests of one class only. */
    static Browser browser;

    @BeforeAll
    static void startBrowser(@LocalServerPort int port) throws Exception {
        assumeTrue(Browser.installed(),
                "browser tests need Debian's chromium and chromium-driver (.ci/run installs them)");
        browser = new Browser("http://localhost:" + port);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
