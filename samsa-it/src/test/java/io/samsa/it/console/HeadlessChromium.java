package io.samsa.it.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver ({@code apt-get install chromium chromium-driver};
 * {@code ./samsa test} installs both). Both paths are given explicitly, so Selenium Manager never looks anything up or
 * downloads; the browser runs with a fresh profile, no background networking, no QUIC, a laptop-sized window.
 */
final class HeadlessChromium {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final int WIDTH = 1366;
    static final int HEIGHT = 860;

    private HeadlessChromium() {
    }

    /** Skips the calling tests (JUnit assumption) when Debian's chromium or chromium-driver is not installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing; install them with "
                        + "'apt-get install chromium chromium-driver' (./samsa test does when run as root)");
    }

    /** A new browser with its profile in {@code profileDir}; the caller quits it. */
    static WebDriver start(Path profileDir) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profileDir, "--window-size=" + WIDTH + "," + HEIGHT);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** A PNG of the whole page (the window grown to the document's height, then restored) at {@code file}. */
    static void screenshot(WebDriver driver, Path file) throws IOException {
        long height = ((Number) ((JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(WIDTH, (int) Math.clamp(height + 140, HEIGHT, 4000)));
        try {
            File png = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
            Files.createDirectories(file.getParent());
            Files.copy(png.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
        }
    }
}
