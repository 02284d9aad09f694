package dev.purser.web;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Without a browser the console's browser tests skip, and under CI=true they fail instead. */
class BrowserStartTest {

    private static final String NONE = "/nonexistent/purser-console-test";

    @Test
    void underCiAMissingBrowserFailsTheTest() {
        AssertionFailedError noDriver = assertThrows(AssertionFailedError.class,
                () -> Browser.start(Browser.CHROMIUM, NONE, true));
        assertTrue(noDriver.getMessage().contains("no headless Chromium could start"),
                noDriver.getMessage());
        assertThrows(AssertionFailedError.class, () -> Browser.start(NONE, Browser.CHROMEDRIVER, true),
                "a driver without its Chromium");
    }

    @Test
    void elsewhereAMissingBrowserSkipsTheTest() {
        assertThrows(TestAbortedException.class, () -> Browser.start(Browser.CHROMIUM, NONE, false));
    }
}
