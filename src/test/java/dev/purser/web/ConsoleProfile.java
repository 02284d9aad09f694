package dev.purser.web;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A fixed operator token, and Purser's own loopback card allowed as a provider. */
public class ConsoleProfile implements QuarkusTestProfile {

    static final String TOKEN = "console-operator-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("purser.market.allow-private", "true", "purser.operator-token", TOKEN);
    }
}
