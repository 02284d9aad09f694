package dev.purser.card;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PURSER_CARD_VERSIONS=1.0 with a public URL: the strict 1.0 card, at the advertised address. */
@QuarkusTest
@TestProfile(StrictCardProfileTest.Profile.class)
class StrictCardProfileTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("purser.card-versions", "1.0", "purser.public-url", "https://purser.example/",
                    "purser.demo-skills", "false");
        }
    }

    private static final Set<String> V10_CARD_FIELDS = Set.of("name", "description", "version",
            "supportedInterfaces", "provider", "documentationUrl", "iconUrl", "capabilities",
            "securitySchemes", "securityRequirements", "defaultInputModes", "defaultOutputModes",
            "skills", "signatures");

    @Test
    void theStrictCardHasOnlyFieldsOfThe10Schema() {
        Map<String, Object> card = given().get("/.well-known/agent-card.json").jsonPath().getMap("");
        assertTrue(V10_CARD_FIELDS.containsAll(card.keySet()), card.keySet().toString());
        assertEquals("https://purser.example/api/a2a",
                given().get("/.well-known/agent.json").jsonPath().getString("supportedInterfaces[0].url"));
        assertEquals(0, given().get("/.well-known/agent-card.json").jsonPath().getList("skills").size());
    }
}
