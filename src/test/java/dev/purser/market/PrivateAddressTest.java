package dev.purser.market;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without {@code PURSER_MARKET_ALLOW_PRIVATE}, loopback and private card and upstream URLs are refused. */
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

    @Test
    void loopbackAndPrivateModelUpstreamsAreRefused() {
        for (String url : new String[] {"http://localhost:9/v1", "http://127.0.0.1:9/v1",
                "http://10.1.2.3/v1", "http://[::1]:8080/v1"}) {
            JsonPath p = given().contentType("application/json").header("Authorization",
                    ProviderResourceTest.OPERATOR).body("{\"baseUrl\": \"" + url + "\", \"models\":"
                    + " {\"m\": {\"input\": \"1\", \"output\": \"1\"}}}").post("/api/market/models")
                    .then().statusCode(422).extract().jsonPath();
            assertEquals("private_address", p.getString("error"), url);
            assertEquals("baseUrl", p.getString("field"), url);
        }
        assertEquals(List.of(), given().get("/api/market/models").then().statusCode(200).extract()
                .jsonPath().getList("upstreams"));
    }
}
