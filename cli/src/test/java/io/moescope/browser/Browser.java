package io.moescope.browser;

import io.moescope.platform.PlatformTestAccess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through chromedriver, both named explicitly so that Selenium Manager never tries
 * to download a browser (there is no network for that here).
 *
 * <p>{@code new Browser(url)} comes signed in as the platform tests' admin ({@link PlatformTestAccess}), so a test
 * opens any page directly; {@link #signedOut} is for the tests of sign-in itself.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration NAVIGATION_TIMEOUT = Duration.ofSeconds(60);

    private final WebDriver driver;
    private final String baseUrl;

    /** Signed in as the test admin. */
    Browser(String baseUrl) throws IOException {
        this(baseUrl, true);
    }

    /** Not signed in: every page but the login view sends it to the login view. */
    static Browser signedOut(String baseUrl) throws IOException {
        return new Browser(baseUrl, false);
    }

    private Browser(String baseUrl, boolean signInAsAdmin) throws IOException {
        this.baseUrl = baseUrl;
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("moescope-chromium"));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile());
        String log = System.getProperty("moescope.browser.log");
        if (log != null) {
            // chromedriver's verbose log holds every DevTools command and event: what to read when a page hangs
            service.withLogFile(new File(log)).withVerbose(true);
        }
        this.driver = new ChromeDriver(service.build(), options);
        if (signInAsAdmin) {
            try {
                new LoginPage(this).open().signIn(PlatformTestAccess.ADMIN, PlatformTestAccess.PASSWORD);
            } catch (RuntimeException e) {
                driver.quit();
                throw e;
            }
        }
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Navigates and returns once the new document has finished loading. chromedriver (150) sometimes answers a
     * navigation away from a Vaadin view before the new document has even been committed; a second navigation
     * sent at that moment was never committed and never failed, and the test hung until Selenium's 3-minute read
     * timeout (seen in RunViewBenchmark, which opens /alerts and at once /runs/bench). So the old document is
     * marked, and open waits for a document without the mark whose load has completed.
     */
    void open(String path) {
        var js = (JavascriptExecutor) driver;
        js.executeScript("window.moescopeLeftDocument = true;");
        driver.get(baseUrl + path);
        waitUpTo(NAVIGATION_TIMEOUT).ignoring(JavascriptException.class).until(d -> Boolean.TRUE.equals(
                js.executeScript("return !window.moescopeLeftDocument && document.readyState === 'complete';")));
    }

    WebDriverWait waitUpTo(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    /**
     * Scrolls an element to the middle of its scroll container: the app layout scrolls its content area, not the
     * window, so WebDriver's own scrolling leaves elements below the fold unclickable and out of screenshots.
     */
    WebElement scrollTo(By element) {
        WebElement target = driver.findElement(element);
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", target);
        return target;
    }

    void click(By element) {
        scrollTo(element).click();
    }

    /** Saves what the page shows, for a person to look at: target/screenshots/NAME.png. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
