package io.moescope.browser;

import io.moescope.platform.PlatformTestAccess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
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
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        this.driver = new ChromeDriver(service, options);
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

    void open(String path) {
        driver.get(baseUrl + path);
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
