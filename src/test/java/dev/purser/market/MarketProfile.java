package dev.purser.market;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Providers on loopback allowed (the fake providers and Purser itself listen there), a fixed
 * operator token, and a providers file naming one fake provider, served from this JVM.
 */
public class MarketProfile implements QuarkusTestProfile {

    static final String TOKEN = "test-operator-token";
    static final FakeProviders FILED = new FakeProviders();
    static final String FILED_CARD = FILED.card03("filed", "filed-skill", "1234");

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path file = Files.createTempFile("providers", ".json");
            Files.writeString(file, "[{\"cardUrl\": \"" + FILED_CARD + "\", \"fee\": {\"amount\": \"6\"}},"
                    + " {\"cardUrl\": \"not a url\"}]");
            return Map.of("purser.market.allow-private", "true", "purser.operator-token", TOKEN,
                    "purser.providers-file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
