package dev.purser.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlGuardTest {

    private final UrlGuard guard = new UrlGuard(false);

    @Test
    void privateLoopbackAndLinkLocalTargetsAreRefused() {
        for (String url : List.of("http://10.0.0.1/hook", "http://127.0.0.1:8080/hook",
                "http://169.254.169.254/latest/meta-data", "http://192.168.1.1/", "http://172.16.0.5/",
                "http://[::1]/", "http://[fd00::1]/", "http://localhost:9/hook", "http://0.0.0.0/",
                "http://100.64.0.1/")) {
            assertTrue(guard.refusalToRegister(url).isPresent(), url);
            assertTrue(guard.refusalToDeliver(url).isPresent(), url);
        }
    }

    @Test
    void publicTargetsAndUnresolvedNamesMayBeRegistered() {
        assertFalse(guard.refusalToRegister("https://93.184.215.14/hook").isPresent());
        assertFalse(guard.refusalToRegister("https://no-such-host.invalid/hook").isPresent());
        assertTrue(guard.refusalToDeliver("https://no-such-host.invalid/hook").isPresent());
    }

    @Test
    void onlyHttpSchemesAreAccepted() {
        assertTrue(guard.refusalToRegister("file:///etc/passwd").isPresent());
        assertTrue(guard.refusalToRegister("ftp://example.com/").isPresent());
    }

    @Test
    void urlsCarryingCredentialsAreRefusedEvenWhenPrivateTargetsAreAllowed() {
        for (UrlGuard g : List.of(guard, new UrlGuard(true))) {
            String why = g.refusalToRegister("https://user:hunter2@93.184.215.14/hook").orElseThrow();
            assertFalse(why.contains("hunter2"), why);
            assertTrue(g.refusalToDeliver("http://token@localhost:1234/hook").isPresent());
        }
    }

    @Test
    void aUrlIsLoggedWithoutItsUserInfoOrQuery() {
        assertEquals("https://…@hooks.example:8443/a/b?…",
                UrlGuard.forLog("https://user:hunter2@hooks.example:8443/a/b?token=s3cret#f"));
        assertEquals("http://hooks.example/a", UrlGuard.forLog("http://hooks.example/a"));
        assertEquals("(not a URL)", UrlGuard.forLog("http://bad host/?token=s3cret"));
    }

    @Test
    void allowingPrivateTargetsLetsLocalhostThrough() {
        assertFalse(new UrlGuard(true).refusalToRegister("http://localhost:1234/hook").isPresent());
    }
}
