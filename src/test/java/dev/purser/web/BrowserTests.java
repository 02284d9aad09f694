package dev.purser.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What the console's browser tests share: one headless Chromium per class, the server's URL. */
abstract class BrowserTests {

    static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    String url(String path) {
        return root.toString().replaceFirst("/$", "") + path;
    }

    /** Fails when the console logged an error since the last look. */
    static void assertNoConsoleError(String page) {
        List<String> errors = browser.consoleErrors();
        assertTrue(errors.isEmpty(), page + " logged console errors: " + errors);
    }
}
