package dev.purser.card;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.crypto.PurserTypes;
import dev.purser.ledger.Envelopes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentCardResourceTest {

    @Inject
    Envelopes envelopes;

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

    /** The TCK's CARD-CACHE-003 (MAY): a Last-Modified the card honours in If-Modified-Since. */
    @Test
    void theCardHasALastModifiedThatConditionalRequestsUse() {
        Response a = given().get("/.well-known/agent-card.json");
        String lastModified = a.header("Last-Modified");
        assertNotNull(lastModified);
        java.time.Instant at = java.time.Instant.from(
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.parse(lastModified));
        assertEquals(lastModified, given().get("/.well-known/agent.json").header("Last-Modified"));
        given().header("If-Modified-Since", lastModified).get("/.well-known/agent-card.json")
                .then().statusCode(304).header("ETag", a.header("ETag"));
        String before = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(at.minusSeconds(1).atOffset(java.time.ZoneOffset.UTC));
        given().header("If-Modified-Since", before).get("/.well-known/agent-card.json")
                .then().statusCode(200);
        given().header("If-Modified-Since", "yesterday").get("/.well-known/agent-card.json")
                .then().statusCode(200);
        given().header("If-None-Match", "\"other\"").header("If-Modified-Since", lastModified)
                .get("/.well-known/agent-card.json").then().statusCode(200);
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
                "https://purser.dev/ext/spending-mandate/v1",
                "https://github.com/google-agentic-commerce/ap2/v1"),
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

    @Test
    void theMandateExtensionPublishesWhatAClientNeedsToSignAndCheckReceipts() throws Exception {
        JsonNode card = new ObjectMapper().readTree(
                given().get("/.well-known/agent-card.json").asString());
        JsonNode mandate = null;
        JsonNode ap2 = null;
        for (JsonNode ext : card.at("/capabilities/extensions")) {
            switch (ext.get("uri").asText()) {
                case "https://purser.dev/ext/spending-mandate/v1" -> mandate = ext;
                case "https://github.com/google-agentic-commerce/ap2/v1" -> ap2 = ext;
                default -> { }
            }
        }
        assertNotNull(mandate, "the spending-mandate extension");
        assertFalse(mandate.get("required").asBoolean());
        JsonNode params = mandate.get("params");
        ObjectMapper json = new ObjectMapper();
        // Re-read: parsed JSON numbers compare equal whatever node type built them.
        assertEquals(json.readTree(PurserTypes.mandateDomain(84532).toString()),
                params.get("domain"));
        assertEquals("SpendingMandate", params.get("primaryType").asText());
        assertEquals(json.readTree(PurserTypes.SPENDING_MANDATE.types().toJson().toString())
                .get("SpendingMandate"), params.at("/types/SpendingMandate"));
        for (String type : List.of("EIP712Domain", "RevokeMandate", "Draw", "Receipt",
                "SessionKey")) {
            assertTrue(params.get("types").has(type), type);
        }
        assertEquals(envelopes.receiptSigner().checksummed(),
                params.get("receiptSigner").asText());
        assertEquals("/api/a2a/mandates", params.get("register").asText());
        assertNotNull(ap2, "the AP2 extension");
        assertFalse(ap2.get("required").asBoolean());
        assertEquals("merchant", ap2.at("/params/roles/0").asText());
    }
}
