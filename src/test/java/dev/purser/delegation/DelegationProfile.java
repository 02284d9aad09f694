package dev.purser.delegation;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Providers on loopback allowed (Purser itself and the a2a-js agents listen there), a known token. */
public class DelegationProfile implements QuarkusTestProfile {

    static final String TOKEN = "delegation-operator-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("purser.market.allow-private", "true", "purser.operator-token", TOKEN,
                "purser.delegation-timeout", "5s", "purser.market.version-check", "0s");
    }
}
