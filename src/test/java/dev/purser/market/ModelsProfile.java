package dev.purser.market;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Upstreams on loopback allowed, a fixed operator token, a default output bound of 2048 tokens and
 * a models file naming one upstream with two models (nothing listens there: registering calls
 * nothing).
 */
public class ModelsProfile implements QuarkusTestProfile {

    static final String FILED_URL = "http://127.0.0.1:9/filed/v1";
    static final String FILE_BODY = "{\"upstreams\": [{\"baseUrl\": \"" + FILED_URL + "/\","
            + " \"headers\": {\"Authorization\": \"Bearer sk-filed-secret\"}, \"fee\": {\"bps\": 500},"
            + " \"models\": {\"filed-small\": {\"input\": \"100\", \"output\": \"400\"},"
            + " \"filed-large\": {\"input\": \"3000\", \"output\": \"15000\", \"maxOutput\": 8192,"
            + " \"cacheTtl\": \"10m\"}}}]}";

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path file = Files.createTempFile("models", ".json");
            Files.writeString(file, FILE_BODY);
            return Map.of("purser.market.allow-private", "true", "purser.operator-token",
                    MarketProfile.TOKEN, "purser.models-file", file.toString(),
                    "purser.models.default-max-output", "2048");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
