package dev.purser.metered;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Upstreams on loopback allowed (the fakes listen there), a known operator token, short upstream
 * timeouts, and the agent guards off (each test's envelope is its own; the guards have their own
 * tests), so that only the budget refuses.
 */
public class MeteredProfile implements QuarkusTestProfile {

    static final String TOKEN = "metered-operator-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("purser.market.allow-private", "true", "purser.operator-token", TOKEN,
                "purser.delegation-timeout", "3s", "purser.market.version-check", "0s",
                "purser.guard.rate", "0", "purser.guard.concurrency", "0", "purser.guard.loop", "0",
                "purser.market.breaker-failures", "1000");
    }
}
