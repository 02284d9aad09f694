package dev.purser.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver, no Selenium Manager download)
 * for the console's browser tests. When none can start the test is skipped, except under
 * {@code CI=true}, where it fails: CI installs the browser, so a missing one is a broken build.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Path SHOTS = Path.of("target", "console-screenshots");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() {
        return start(CHROMIUM, CHROMEDRIVER, "true".equals(System.getenv("CI")));
    }

    /** Starts {@code chromium} through {@code chromedriver}; {@code ci}: fail, not skip, without. */
    static Browser start(String chromium, String chromedriver, boolean ci) {
        Path profile;
        try {
            profile = Files.createTempDirectory("console-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments(
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            String why = "no headless Chromium could start (" + chromium + ", " + chromedriver
                    + "): " + e.getMessage();
            if (ci) {
                fail(why, e);
            }
            Assumptions.abort(why);
            throw e;
        }
    }

    /** Loads {@code url} and waits until the document and its deferred scripts have run. */
    void open(String url) {
        driver.get(url);
        waitFor(d -> "complete".equals(js("return document.readyState")));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T waitFor(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(condition::apply);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The console's SEVERE entries since the last call (errors and failed loads). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /**
     * Saves the whole page at desktop (1280 px) and phone (390 px) width under target/, after
     * checking what a screenshot cannot show: every form field has a label, a skip link comes
     * first, and what the Tab key focuses shows an outline.
     */
    void screenshots(String name) {
        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) js("return Array.from(document.querySelectorAll("
                + "'input:not([type=hidden]), select, textarea')).filter(function (f) {"
                + " return f.labels.length === 0 && !f.getAttribute('aria-label'); })"
                + ".map(function (f) { return f.id || f.name; });");
        assertEquals(List.of(), unlabelled, name + ": form fields without a label");
        assertEquals("Skip to content", js("return document.querySelector("
                + "'a[href], button, input, select, textarea').textContent"), name
                + ": the first thing the keyboard reaches");
        js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertNotEquals("0px", js("return getComputedStyle(document.activeElement).outlineWidth"),
                name + ": what the keyboard focuses shows an outline");
        js("document.activeElement.blur();");
        shoot(name + "-desktop", 1280, false);
        shoot(name + "-phone", 390, true);
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        settle();
    }

    /**
     * The page as a screen {@code width} CSS pixels wide shows it (a phone's: touch, its viewport
     * meta honoured, no scroll bar), photographed whole, however tall it is.
     */
    private void shoot(String name, int width, boolean phone) {
        emulate(width, 900, phone);
        long height = ((Number) js("return Math.max(document.documentElement.scrollHeight,"
                + " document.body.scrollHeight)")).longValue();
        emulate(width, (int) Math.min(height, 8000), phone);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png"));
        try {
            Files.createDirectories(SHOTS);
            Files.write(SHOTS.resolve(name + ".png"),
                    Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void emulate(int width, int height, boolean phone) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                "height", height, "deviceScaleFactor", 1, "mobile", phone));
        settle();
    }

    /** Lets the page handle the resize (the chart redraws) before it is photographed. */
    private void settle() {
        driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + " requestAnimationFrame(function () { requestAnimationFrame(done); });");
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile)
                    .forEach(File::delete);
        } catch (IOException e) {
            // A temporary profile left behind harms nothing.
        }
    }
}
