package org.daycare.registration.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.network.Network;

/**
 * Debian's headless Chromium (packages {@code chromium} and {@code chromium-driver}), driven by Selenium WebDriver with
 * both paths given, so that nothing is looked up or downloaded; a fresh profile each time. Through the Chrome DevTools
 * Protocol it records every request the page sends (URL and headers) and every response it gets; {@link #axe} runs
 * axe-core (npm, pinned in {@code src/test/axe/package-lock.json}, installed on first use as the SNS tests install
 * fauxqs) in the page. Without Chromium, its driver or npm it fails, saying what to install; it never skips.
 *
 * <p>{@code -Dconsole.chromium=/path} and {@code -Dconsole.chromedriver=/path} name other binaries.
 */
public final class ConsoleBrowser implements AutoCloseable {

    public static final String CHROMIUM = System.getProperty("console.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("console.chromedriver", "/usr/bin/chromedriver");
    static final String CHROMIUM_HINT = "install Debian's Chromium and its driver: `apt-get install chromium chromium-driver`"
            + " (as root; .ci/run does it when they are missing)";
    static final Path AXE_DIR = Path.of("src", "test", "axe");
    static final String AXE_HINT = "run `npm ci --prefix src/test/axe` from the project root";
    private static final Path AXE_SCRIPT = AXE_DIR.resolve(Path.of("node_modules", "axe-core", "axe.min.js"));
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request the page sent, as the browser's network layer saw it. */
    public record SentRequest(String method, String url, Map<String, String> headers) {
    }

    /** A response the page received. */
    public record ReceivedResponse(String url, int status, Map<String, String> headers) {
    }

    private final ChromeDriver driver;
    private final DevTools devTools;
    private final List<SentRequest> requests = new CopyOnWriteArrayList<>();
    private final List<ReceivedResponse> responses = new CopyOnWriteArrayList<>();
    private String axeSource;

    private ConsoleBrowser(ChromeDriver driver, DevTools devTools) {
        this.driver = driver;
        this.devTools = devTools;
    }

    /** Starts Chromium with a new profile under {@code profileDir}, recording the page's traffic. */
    public static ConsoleBrowser start(Path profileDir) {
        requireExecutable(CHROMIUM, "Chromium");
        requireExecutable(CHROMEDRIVER, "ChromeDriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-GB",
                "--user-data-dir=" + profileDir.toAbsolutePath());
        // An alert a script opened stays open, for the test to find (and fail on), instead of being dismissed.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogFile(Path.of("target", "chromedriver.log").toAbsolutePath().toFile())
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Chromium (" + CHROMIUM + ") did not start under " + CHROMEDRIVER + ": "
                    + e.getMessage() + "\nIf either is missing or they differ in version, " + CHROMIUM_HINT, e);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        DevTools devTools = driver.getDevTools();
        devTools.createSession();
        ConsoleBrowser browser = new ConsoleBrowser(driver, devTools);
        devTools.send(Network.enable(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()));
        devTools.addListener(Network.requestWillBeSent(), sent -> browser.requests.add(new SentRequest(
                sent.getRequest().getMethod(), sent.getRequest().getUrl(), lowerCase(sent.getRequest().getHeaders()))));
        devTools.addListener(Network.responseReceived(), received -> browser.responses.add(new ReceivedResponse(
                received.getResponse().getUrl(), received.getResponse().getStatus(),
                lowerCase(received.getResponse().getHeaders()))));
        return browser;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Every request the page sent so far, in order. */
    public List<SentRequest> requests() {
        return List.copyOf(requests);
    }

    /** Every response the page received so far, in order. */
    public List<ReceivedResponse> responses() {
        return List.copyOf(responses);
    }

    /**
     * Runs axe-core on the whole page as it is now and answers its violations of impact serious or critical, one line
     * each (rule, impact, the elements), empty when there is none.
     */
    public List<String> seriousAccessibilityViolations() {
        if (axeSource == null) {
            axeSource = readAxe();
        }
        if (!Boolean.TRUE.equals(driver.executeScript("return typeof window.axe === 'object';"))) {
            driver.executeScript(axeSource);
        }
        Object raw = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "window.axe.run(document, {resultTypes: ['violations']})"
                + ".then(function (r) { done(JSON.stringify(r.violations)); }, function (e) { done('ERROR ' + e); });");
        String result = String.valueOf(raw);
        if (result.startsWith("ERROR ")) {
            throw new IllegalStateException("axe-core failed in the page: " + result);
        }
        List<String> serious = new ArrayList<>();
        try {
            for (JsonNode violation : JSON.readTree(result)) {
                String impact = violation.path("impact").asText();
                if (impact.equals("serious") || impact.equals("critical")) {
                    List<String> targets = new ArrayList<>();
                    violation.path("nodes").forEach(node -> targets.add(node.path("target").toString()));
                    serious.add(violation.path("id").asText() + " (" + impact + "): " + violation.path("help").asText()
                            + " at " + targets);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return serious;
    }

    /** A screenshot of the window as {@code target/console-screenshots/NAME.png}; answers its path. */
    public Path screenshot(String name) {
        return save(name, driver.getScreenshotAs(OutputType.FILE));
    }

    /** A screenshot of one element (scrolled into view) as {@code target/console-screenshots/NAME.png}. */
    public Path screenshot(String name, WebElement element) {
        return save(name, element.getScreenshotAs(OutputType.FILE));
    }

    private static Path save(String name, File taken) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(taken.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            devTools.close();
        } finally {
            driver.quit();
        }
    }

    private static Map<String, String> lowerCase(Map<String, Object> headers) {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), String.valueOf(value)));
        return lower;
    }

    private static void requireExecutable(String path, String what) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(what + " was not found at " + path + ": the console's browser test needs it;"
                    + " " + CHROMIUM_HINT);
        }
    }

    private static String readAxe() {
        if (!Files.isRegularFile(AXE_SCRIPT)) {
            installAxe();
        }
        try {
            return Files.readString(AXE_SCRIPT, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("axe-core is not installed (" + AXE_SCRIPT + "): " + AXE_HINT, e);
        }
    }

    /** On a fresh clone, installs axe-core once from the committed package-lock.json (as FauxqsServer does fauxqs). */
    private static synchronized void installAxe() {
        NpmCi.install(AXE_DIR, "axe", "the console's browser test needs it to install axe-core", AXE_HINT);
        if (!Files.isRegularFile(AXE_SCRIPT)) {
            throw new IllegalStateException("axe-core is not installed (" + AXE_SCRIPT + " is missing): " + AXE_HINT);
        }
    }
}
