package dev.purser.web;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A fixed operator token; providers on loopback allowed (Purser's own card, the a2a-js agents),
 * their versions not re-checked, and a delegation that gives up in seconds.
 */
public class ConsoleProfile implements QuarkusTestProfile {

    static final String TOKEN = "console-operator-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("purser.market.allow-private", "true", "purser.operator-token", TOKEN,
                "purser.delegation-timeout", "5s", "purser.market.version-check", "0s");
    }
}
