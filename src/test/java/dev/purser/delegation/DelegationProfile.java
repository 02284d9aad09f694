package dev.purser.delegation;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Providers on loopback allowed (Purser itself and the a2a-js agents listen there), a known
 * operator token, and a payee of local skills other than the operator key: when Purser resells its
 * own skill, the operator key pays that payee (an authorization's payer is never its payee).
 */
public class DelegationProfile implements QuarkusTestProfile {

    static final String TOKEN = "delegation-operator-token";
    static final String PAYEE = "0x00000000000000000000000000000000000d1e9a";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("purser.market.allow-private", "true", "purser.operator-token", TOKEN,
                "purser.delegation-timeout", "5s", "purser.market.version-check", "0s",
                "purser.pay-to", PAYEE);
    }
}
