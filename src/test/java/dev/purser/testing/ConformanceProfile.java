package dev.purser.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The application with the conformance executor and webhooks on localhost allowed. */
public class ConformanceProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("purser.conformance", "true", "purser.push.allow-private", "true",
                "purser.push.backoff", "200ms");
    }
}
