package dev.orderly.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Opens the static test page in headless Chromium against the real service and Redis, for tests that run the
 * reproduction from it and check what the page shows.
 *
 * <p>Uses Debian's Chromium and ChromeDriver at fixed paths, so Selenium never downloads a driver.
 * Without Chromium the test is skipped, except when the environment variable {@code CI} is
 * {@code true}: there it fails. Set the system property {@code browser-test.screenshot} to a file
 * path to save a PNG of the finished page.
 */
abstract class BrowserTestBase extends SubscriberTestBase {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final String SCREENSHOT_PROPERTY = "browser-test.screenshot";

    @TestHTTPResource("/")
    URL page;

    private Path profileDirectory;
    private ChromeDriverService driverService;
    WebDriver driver;

    @BeforeEach
    void startBrowser() throws IOException {
        boolean chromiumInstalled = Files.isExecutable(CHROMIUM);
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(chromiumInstalled, "Chromium not found at " + CHROMIUM + ", but CI=true requires this test to run;"
                    + " install the chromium and chromium-driver packages");
        }
        assumeTrue(chromiumInstalled,
                "Chromium not found at " + CHROMIUM + "; install the chromium and chromium-driver packages to run this test");

        profileDirectory = Files.createTempDirectory("orderly-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,2400",
                "--user-data-dir=" + profileDirectory);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);

        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .build();
        driver = new ChromeDriver(driverService, options);
    }

    @AfterEach
    void quitBrowser() throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (driverService != null) {
                driverService.stop();
            }
            deleteRecursively(profileDirectory);
        }
    }

    /** Checks every verdict the page shows after the default run: 100 content events and one complete event. */
    void assertDefaultRunClean() {
        assertEquals("Done", text("status"), this::pageState);

        assertEquals("101", text("client-expected"), "client expected");
        assertEquals("101", text("client-received"), "client received");
        assertEquals("0", text("client-missing"), "client missing");
        assertEquals("yes", text("client-in-order"), "client in order");

        assertEquals("101", text("server-expected"), "server expected");
        assertEquals("101", text("server-received"), "server received");
        assertEquals("0", text("server-missing"), "server missing");
        assertEquals("yes", text("server-in-order"), "server in order");
        assertEquals("0", text("server-payload-mismatches"), "server payload mismatches");
        assertEquals("yes", text("server-clean"), "server clean");

        assertEquals("yes", text("verdicts-agree"), () -> "verdicts agree " + text("verdict-differences"));
        assertEquals(101, driver.findElements(By.cssSelector("#events-table tbody tr")).size(), "events table rows");
        assertEquals("1–101", text("arrival-order"), "arrival order");
        assertEquals("Pass: all 101 events arrived exactly once, in order, with intact payloads.", text("verdict"),
                "verdict banner");
        assertEquals("", severeBrowserLogEntries(), "browser console errors");
    }

    /** Presses Run Test and waits until the status reads Done or Failed. */
    void runAndWait() {
        driver.findElement(By.id("run-button")).click();
        new WebDriverWait(driver, RUN_TIMEOUT)
                .withMessage(() -> "run did not finish; " + pageState())
                .until(browser -> List.of("Done", "Failed").contains(text("status")));
    }

    /** Points the browser at 127.0.0.1 on the port Quarkus chose for tests, whatever host name it reports. */
    String pageOnLoopback() throws URISyntaxException {
        return new URI(page.getProtocol(), null, "127.0.0.1", page.getPort(), page.getPath(), null, null).toString();
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** Returns an element's text even while it is hidden, unlike {@link #text}. */
    String textContent(String id) {
        return driver.findElement(By.id(id)).getDomProperty("textContent");
    }

    String pageState() {
        return "status '" + text("status") + "', error '" + textContent("error") + "', progress '"
                + text("progress-text") + "', notices '" + text("notices") + "'";
    }

    String severeBrowserLogEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .collect(Collectors.joining("\n"));
    }

    void saveScreenshotIfRequested() throws IOException {
        String target = System.getProperty(SCREENSHOT_PROPERTY);
        if (target == null || target.isBlank()) {
            return;
        }
        byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(Path.of(target), png);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
