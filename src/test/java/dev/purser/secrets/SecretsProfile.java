package dev.purser.secrets;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Providers, upstreams and webhooks on loopback allowed (the fakes listen there), a known operator token. */
public class SecretsProfile implements QuarkusTestProfile {

    static final String TOKEN = "secrets-operator-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("purser.market.allow-private", "true", "purser.push.allow-private", "true",
                "purser.operator-token", TOKEN, "purser.market.version-check", "0s",
                "purser.delegation-timeout", "5s", "purser.push.backoff", "200ms");
    }
}
