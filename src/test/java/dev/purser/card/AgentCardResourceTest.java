package dev.purser.card;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentCardResourceTest {

    @Test
    void bothPathsServeTheSameCardWithCachingHeaders() {
        Response a = given().get("/.well-known/agent-card.json");
        Response b = given().get("/.well-known/agent.json");
        assertEquals(200, a.statusCode());
        assertEquals(200, b.statusCode());
        assertTrue(a.contentType().startsWith("application/json"));
        assertArrayEquals(a.asByteArray(), b.asByteArray());
        String etag = a.header("ETag");
        assertNotNull(etag);
        assertTrue(a.header("Cache-Control").contains("max-age="));
        given().header("If-None-Match", etag).get("/.well-known/agent-card.json")
                .then().statusCode(304);
    }

    @Test
    void theDefaultCardCarriesBothVersionsInterfacesAtTheRequestsOwnAddress() {
        Response r = given().get("/.well-known/agent-card.json");
        JsonPath card = r.jsonPath();
        String expected = "http://localhost:" + io.restassured.RestAssured.port + "/api/a2a";
        assertEquals(expected, card.getString("supportedInterfaces[0].url"));
        assertEquals("1.0", card.getString("supportedInterfaces[0].protocolVersion"));
        assertEquals("JSONRPC", card.getString("supportedInterfaces[0].protocolBinding"));
        assertEquals("0.3", card.getString("supportedInterfaces[1].protocolVersion"));
        assertEquals(expected, card.getString("url"));
        assertEquals("JSONRPC", card.getString("preferredTransport"));
        assertEquals("0.3.0", card.getString("protocolVersion"));
    }

    @Test
    void theCardListsTheDemoSkillsWithoutExtraFieldsAndDeclaresOnlyWhatIsImplemented() {
        JsonPath card = given().get("/.well-known/agent-card.json").jsonPath();
        assertEquals(List.of("echo", "echo-paid"), card.getList("skills.id"));
        for (Map<String, Object> skill : card.<Map<String, Object>>getList("skills")) {
            assertTrue(List.of("id", "name", "description", "tags", "examples", "inputModes",
                    "outputModes").containsAll(skill.keySet()), skill.toString());
        }
        assertEquals(true, card.getBoolean("capabilities.streaming"));
        assertEquals(true, card.getBoolean("capabilities.pushNotifications"));
        assertEquals(false, card.getBoolean("capabilities.extendedAgentCard"));
        assertEquals(List.of("https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2",
                "https://purser.dev/ext/spending-mandate/v1"),
                card.getList("capabilities.extensions.uri"));
        assertEquals(false, card.getBoolean("capabilities.extensions[0].required"));
        assertEquals("10000", card.getString("capabilities.extensions[0].params.skills.'echo-paid'.amount"));
        assertEquals("eip155:84532", card.getString("capabilities.extensions[0].params.skills.'echo-paid'.network"));
        assertNull(card.get("capabilities.extensions[0].params.skills.echo"), "echo is free");
        assertEquals("Bearer", card.getString("securitySchemes.bearer.httpAuthSecurityScheme.scheme"));
        assertNull(card.get("securityRequirements"), "anonymous callers are admitted by default");
        for (String field : List.of("name", "description", "version", "defaultInputModes",
                "defaultOutputModes")) {
            assertNotNull(card.get(field), field);
        }
        assertFalse(card.getString("description").isBlank());
    }
}
