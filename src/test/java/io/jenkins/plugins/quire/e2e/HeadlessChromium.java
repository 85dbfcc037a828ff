package io.jenkins.plugins.quire.e2e;

import io.jenkins.plugins.quire.TestFiles;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnhandledAlertException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through Debian's chromedriver by Selenium, started the way this machine needs
 * (known to work here: no background networking, fresh profile) and with both binaries named explicitly,
 * so Selenium Manager never tries to download a browser or driver. Also answers "did a script from the page run?".
 */
public final class HeadlessChromium implements AutoCloseable {
    static final String BROWSER = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";

    /** Chromium's error for requests it cut because the host's network changed. */
    static final String NETWORK_CHANGED = "net::ERR_NETWORK_CHANGED";
    static final int NETWORK_CHANGE_RETRIES = 3;

    private final ChromeDriver driver;
    private final Path profile;
    /** Console errors read while loading a page, not yet returned by {@link #consoleErrors}. */
    private final List<String> kept = new ArrayList<>();

    public HeadlessChromium(Path profile) throws IOException {
        for (String bin : new String[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(Path.of(bin))) {
                throw new IOException(bin + " is missing: install Debian's chromium and chromium-driver"
                        + " (scripts/install-prereqs.sh does)");
            }
        }
        this.profile = profile;
        TestFiles.deleteTree(profile);
        Files.createDirectories(profile);
        System.setProperty("webdriver.chrome.driver", DRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1400", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Loads {@code url} and waits until the document is complete. Chromium cuts the requests under way, loopback
     * ones included, with {@code net::ERR_NETWORK_CHANGED} when the host's network interfaces change, as they do
     * whenever Docker (shared with other builds) starts or removes a container: a load that lost a resource that way
     * is made again, at most {@value #NETWORK_CHANGE_RETRIES} times. The console errors of the load that counts are
     * kept for {@link #consoleErrors}; those of a load made again are dropped with it.
     */
    public void open(String url) {
        for (int attempt = 0; ; attempt++) {
            String lost = null;
            try {
                driver.get(url);
                for (int i = 0; i < 100; i++) {
                    Object state = driver.executeScript("return document.readyState");
                    if ("complete".equals(state)) break;
                    sleep(100);
                }
            } catch (WebDriverException e) {
                if (!String.valueOf(e.getMessage()).contains(NETWORK_CHANGED) || attempt == NETWORK_CHANGE_RETRIES) throw e;
                lost = e.getMessage().lines().findFirst().orElse("");
            }
            List<String> errors = lost == null ? severeEntries() : List.of(lost);
            if (attempt < NETWORK_CHANGE_RETRIES && errors.stream().anyMatch(m -> m.contains(NETWORK_CHANGED))) {
                System.err.println("HeadlessChromium: loading " + url + " again after a network change on the host: "
                        + errors);
                continue;
            }
            kept.addAll(errors);
            return;
        }
    }

    /**
     * What the page's injected payloads would have set: the value of {@code typeof window.__quirePwned} (expected
     * "undefined"), or "ALERT: text" when a dialog is open, which would also mean a script ran.
     */
    public String pwnedState() {
        try {
            String text = driver.switchTo().alert().getText();
            driver.switchTo().alert().dismiss();
            return "ALERT: " + text;
        } catch (NoAlertPresentException e) {
            // no dialog: ask the page
        }
        try {
            return String.valueOf(driver.executeScript("return typeof window.__quirePwned"));
        } catch (UnhandledAlertException e) {
            return "ALERT: " + e.getAlertText();
        }
    }

    /** Saves a PNG of the viewport to {@code file} and returns it. */
    public Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** Resizes the window to the page's full height (capped) so a screenshot shows the whole page. */
    public void fitHeight(int max) {
        Object h = driver.executeScript("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        int height = Math.min(max, Math.max(600, ((Number) h).intValue() + 120));
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, height));
    }

    /** The browser console's SEVERE entries (script errors, failed loads) since the last call. */
    public List<String> consoleErrors() {
        List<String> errors = new ArrayList<>(kept);
        kept.clear();
        errors.addAll(severeEntries());
        return errors;
    }

    /** The SEVERE entries of the browser's log since it was last read (reading it empties it). */
    private List<String> severeEntries() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) errors.add(e.getMessage());
        }
        return errors;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                TestFiles.deleteTree(profile);
            } catch (IOException ignored) {
                // the profile is in target/, removed by the next run
            }
        }
    }
}
