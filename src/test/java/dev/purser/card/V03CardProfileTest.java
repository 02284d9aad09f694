package dev.purser.card;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.purser.testing.Rpc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PURSER_CARD_VERSIONS=0.3 and PURSER_AUTH=required: the 0.3 card, and no anonymous calls. */
@QuarkusTest
@TestProfile(V03CardProfileTest.Profile.class)
class V03CardProfileTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("purser.card-versions", "0.3", "purser.auth", "required");
        }
    }

    @Test
    void the03CardUsesThe03ShapesAndDeclaresTheRequiredBearer() {
        JsonPath card = given().get("/.well-known/agent-card.json").jsonPath();
        assertNull(card.get("supportedInterfaces"));
        assertEquals("JSONRPC", card.getString("preferredTransport"));
        assertEquals("http", card.getString("securitySchemes.bearer.type"));
        assertEquals("bearer", card.getString("securitySchemes.bearer.scheme"));
        assertEquals(0, card.getList("security[0].bearer").size());
        assertEquals(false, card.getBoolean("supportsAuthenticatedExtendedCard"));
    }

    @Test
    void anonymousCallersAreRefusedAndTokenHoldersServed() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tasks/get\",\"params\":{\"id\":\"x\"}}";
        String text = Rpc.v03().request().body(body).post("/api/a2a").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").extract().asString();
        assertEquals(3, JsonPath.from(text).getInt("id"));
        Rpc dave = Rpc.v03().as("dave");
        assertEquals("completed", dave.call("message/send", Map.of("message", dave.textMessage("hi")))
                .getString("result.status.state"));
    }
}
