package dev.purser.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without {@code PURSER_MARKET_ALLOW_PRIVATE}, loopback and private card URLs are refused. */
@QuarkusTest
@TestProfile(PrivateAddressTest.Strict.class)
class PrivateAddressTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("purser.operator-token", MarketProfile.TOKEN);
        }
    }

    @Test
    void loopbackPrivateAndLinkLocalCardUrlsAreRefused() {
        try (FakeProviders fakes = new FakeProviders()) {
            String live = fakes.card03("private", "p", "1"); // would answer: the rule refuses first
            for (String url : new String[] {live, "http://localhost:9/", "http://10.1.2.3/",
                    "http://169.254.169.254/latest/", "http://[::1]:8080/"}) {
                JsonPath p = ProviderResourceTest.post(ProviderResourceTest.OPERATOR,
                        "{\"cardUrl\": \"" + url + "\"}").statusCode(422).extract().jsonPath();
                assertEquals("private_address", p.getString("error"), url);
                assertEquals("cardUrl", p.getString("field"), url);
            }
        }
    }
}
