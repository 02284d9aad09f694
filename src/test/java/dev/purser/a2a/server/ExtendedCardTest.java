package dev.purser.a2a.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.purser.testing.Rpc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With PURSER_EXTENDED_CARD=true the card declares it and authenticated callers get it. */
@QuarkusTest
@TestProfile(ExtendedCardTest.Declared.class)
class ExtendedCardTest {

    public static class Declared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("purser.extended-card", "true");
        }
    }

    @Test
    void theCardDeclaresTheExtendedCard() {
        JsonPath card = given().get("/.well-known/agent-card.json").jsonPath();
        assertEquals(true, card.getBoolean("capabilities.extendedAgentCard"));
        assertEquals(true, card.getBoolean("supportsAuthenticatedExtendedCard"));
    }

    @Test
    void anAuthenticatedCallerGetsTheExtendedCardInBothVersions() {
        JsonPath v10 = Rpc.v10().as("alice").call("GetExtendedAgentCard", Map.of());
        assertEquals("JSONRPC", v10.getString("result.supportedInterfaces[0].protocolBinding"));
        JsonPath v03 = Rpc.v03().as("alice").call("agent/getAuthenticatedExtendedCard", null);
        assertEquals(v10.getString("result.name"), v03.getString("result.name"));
    }

    @Test
    void anAnonymousCallerIsAskedToAuthenticate() {
        Rpc.v03().request().body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"agent/getAuthenticatedExtendedCard\"}")
                .post("/api/a2a").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }
}
