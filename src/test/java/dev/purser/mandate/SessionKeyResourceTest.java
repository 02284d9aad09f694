package dev.purser.mandate;

import static dev.purser.mandate.Fixtures.now;
import static dev.purser.mandate.Fixtures.random32;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Session keys over HTTP on the real database (DESIGN §11): create, authenticate, revoke. */
@QuarkusTest
class SessionKeyResourceTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

    @Inject
    SessionKeys keys;

    @Inject
    DataSource db;

    private final Secp256k1Key principal = Secp256k1Key.generate(RANDOM);

    private final Secp256k1Key agent = Secp256k1Key.generate(RANDOM);

    /** A registered EIP-712 mandate of {@link #principal} for {@link #agent}; its id. */
    private String mandate() {
        ObjectNode m = Fixtures.JSON.createObjectNode();
        m.put("principal", principal.address().checksummed());
        m.put("agent", agent.address().checksummed());
        m.put("asset", USDC);
        m.put("budget", "5000000");
        m.put("perTaskMax", "0");
        m.putArray("skills");
        m.put("notBefore", now() - 3600);
        m.put("expiresAt", now() + 86_400);
        m.put("parent", Bytes32.ZERO.hex());
        m.put("nonce", random32().hex());
        return given().contentType("application/json").body(Fixtures.signed(m, principal))
                .post("/api/a2a/mandates").then().statusCode(201).extract().path("id");
    }

    private static ObjectNode key(String mandate, String label, long expiresAt) {
        return Fixtures.JSON.createObjectNode().put("mandate", mandate).put("label", label)
                .put("expiresAt", expiresAt).put("nonce", random32().hex());
    }

    /** {@code {"key", "signature"}}, {@code key} signed by {@code signer}. */
    static String signed(ObjectNode key, Secp256k1Key signer) {
        ObjectNode body = Fixtures.JSON.createObjectNode();
        body.set("key", key);
        body.put("signature", signer.sign(PurserTypes.SESSION_KEY.typedData(
                PurserTypes.mandateDomain(84532), key).digest()).hex());
        return body.toString();
    }

    private static Response create(String mandate, String body) {
        return given().contentType("application/json").body(body)
                .post("/api/a2a/mandates/" + mandate + "/keys");
    }

    private static Response revoke(String mandate, String keyId, String body) {
        return given().contentType("application/json").body(body)
                .delete("/api/a2a/mandates/" + mandate + "/keys/" + keyId);
    }

    private static void assertRefusal(Response response, int status, String code, String field) {
        response.then().statusCode(status).body("error", equalTo(code))
                .body("field", equalTo(field));
    }

    @Test
    void theAgentsSignedKeyGivesASecretShownOnceThatAuthenticatesAsTheAgent() {
        String id = mandate();
        long expiresAt = now() + 3600;
        String body = signed(key(id, "nightly run", expiresAt), agent);
        Response created = create(id, body);
        created.then().statusCode(201).body("key", startsWith("psk_"))
                .body("mandate", equalTo(id)).body("label", equalTo("nightly run"))
                .body("expiresAt", equalTo((int) expiresAt));
        String secret = created.path("key");
        assertTrue(secret.length() >= 4 + 43, secret);

        SessionKey live = keys.authenticate(secret).orElseThrow();
        assertEquals(new SessionKey(created.path("id"), id, agent.address(), "nightly run",
                Instant.ofEpochSecond(expiresAt)), live);
        char last = secret.charAt(secret.length() - 1);
        String tweaked = secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertEquals(Optional.empty(), keys.authenticate(tweaked));
        for (String garbage : new String[] {null, "", "psk_", "psk_garbage", "Bearer " + secret,
                secret + " ", "psk_" + "\u00e9".repeat(50), "x".repeat(100_000)}) {
            assertEquals(Optional.empty(), keys.authenticate(garbage), String.valueOf(garbage));
        }

        // The same signed document again does not mint a second key.
        assertRefusal(create(id, body), 409, "session_key_exists", "key.nonce");
        assertTrue(create(id, body).jsonPath().getString("message")
                .contains((String) created.path("id")));
    }

    @Test
    void theSecretIsKeptOnlyAsItsHash() throws Exception {
        String id = mandate();
        String secret = create(id, signed(key(id, "hashed", now() + 600), agent)).then()
                .statusCode(201).extract().path("key");
        String random = secret.substring("psk_".length());
        int rows = 0;
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select k::text from session_key k")) {
            while (rs.next()) {
                rows++;
                assertFalse(rs.getString(1).contains(random), rs.getString(1));
            }
        }
        assertTrue(rows > 0);
    }

    @Test
    void onlyTheAgentMayAskForAKeyOnItsOwnMandateBeforeItExpires() {
        String id = mandate();
        assertRefusal(create(id, signed(key(id, "x", now() + 600), principal)), 422,
                "signature_mismatch", "signature");
        String other = mandate();
        assertRefusal(create(id, signed(key(other, "x", now() + 600), agent)), 400, "invalid",
                "key.mandate");
        assertRefusal(create(id, signed(key(id, "x", now() - 1), agent)), 422, "expired",
                "key.expiresAt");
        ObjectNode noLabel = (ObjectNode) Fixtures.parse(signed(key(id, "x", now() + 600),
                agent));
        ((ObjectNode) noLabel.get("key")).remove("label");
        assertRefusal(create(id, noLabel.toString()), 400, "invalid", "key.label");
        assertRefusal(create(id, "{\"key\": 3}"), 400, "invalid", "key");
        assertRefusal(create(id, "not json"), 400, "invalid", "");
        String unknown = random32().hex();
        assertRefusal(create(unknown, signed(key(unknown, "x", now() + 600), agent)), 404,
                "unknown_mandate", "id");
        create("0x12", "{}").then().statusCode(400).body("field", equalTo("id"));
    }

    @Test
    void aRevokedMandateGrantsNoKeys() {
        String id = mandate();
        ObjectNode revocation = Fixtures.JSON.createObjectNode().put("mandateId", id)
                .put("revokedAt", now());
        ObjectNode body = Fixtures.JSON.createObjectNode();
        body.set("revocation", revocation);
        body.put("signature", principal.sign(PurserTypes.REVOKE_MANDATE.typedData(
                PurserTypes.mandateDomain(84532), revocation).digest()).hex());
        given().contentType("application/json").body(body.toString())
                .post("/api/a2a/mandates/" + id + "/revoke").then().statusCode(200);
        assertRefusal(create(id, signed(key(id, "x", now() + 600), agent)), 422, "revoked",
                "id");
    }

    @Test
    void theDocumentThatCreatedAKeyRevokesItAndNoOtherDoes() {
        String id = mandate();
        String first = signed(key(id, "first", now() + 600), agent);
        Response created = create(id, first);
        String keyId = created.path("id");
        String secret = created.path("key");
        String second = signed(key(id, "second", now() + 600), agent);
        String secondSecret = create(id, second).then().statusCode(201).extract().path("key");

        assertRefusal(revoke(id, keyId, second), 403, "not_this_key", "key.nonce");
        assertRefusal(revoke(id, keyId, signed(key(id, "first", now() + 600), principal)), 422,
                "signature_mismatch", "signature");
        assertRefusal(revoke(id, "no-such-key", first), 404, "unknown_session_key", "keyId");
        assertTrue(keys.authenticate(secret).isPresent());

        Response revoked = revoke(id, keyId, first);
        revoked.then().statusCode(200).body("id", equalTo(keyId)).body("mandate", equalTo(id))
                .body("label", equalTo("first")).body("key", nullValue());
        long revokedAt = revoked.jsonPath().getLong("revokedAt");
        assertTrue(Math.abs(revokedAt - now()) < 3600, Long.toString(revokedAt));
        assertEquals(Optional.empty(), keys.authenticate(secret));
        assertTrue(keys.authenticate(secondSecret).isPresent(), "the other key still works");
        // Again: the same answer, the first instant kept; the document cannot mint it again.
        revoke(id, keyId, first).then().statusCode(200)
                .body("revokedAt", equalTo((int) revokedAt));
        assertRefusal(create(id, first), 409, "session_key_exists", "key.nonce");
    }

    @Test
    void anAp2MandatesKeyIsAskedForWithAJwsOfItsCnfKey() {
        Ap2Issuer issuer = new Ap2Issuer();
        Ap2Issuer agentKey = new Ap2Issuer();
        ObjectNode content = Fixtures.JSON.createObjectNode().put("vct", "mandate.payment.open.1");
        content.putArray("constraints").addObject().put("type", "payment.budget")
                .put("max", new BigDecimal("2.50")).put("currency", "USD");
        content.putObject("cnf").set("jwk", agentKey.jwk());
        content.put("iat", now() - 60).put("exp", now() + 86_400);
        String id = given().contentType("application/json")
                .body(Ap2Issuer.body(issuer.issue(content))).post("/api/a2a/mandates").then()
                .statusCode(201).extract().path("id");
        String typ = "purser-session-key+jwt";
        ObjectNode claims = key(id, "ap2 run", now() + 600);
        String jws = Fixtures.JSON.createObjectNode().put("jws", agentKey.jws(typ, claims))
                .toString();

        assertRefusal(create(id, Fixtures.JSON.createObjectNode()
                .put("jws", issuer.jws(typ, claims)).toString()), 422, "signature_mismatch",
                "jws");
        assertRefusal(create(id, Fixtures.JSON.createObjectNode()
                .put("jws", agentKey.jws("JWT", claims)).toString()), 400, "invalid", "jws");
        assertRefusal(create(id, signed(key(id, "x", now() + 600), agent)), 400, "invalid",
                "jws");
        ObjectNode past = claims.deepCopy().put("expiresAt", now() - 5)
                .put("nonce", random32().hex());
        assertRefusal(create(id, Fixtures.JSON.createObjectNode()
                .put("jws", agentKey.jws(typ, past)).toString()), 422, "expired",
                "jws.expiresAt");

        Response created = create(id, jws);
        created.then().statusCode(201).body("mandate", equalTo(id));
        SessionKey live = keys.authenticate(created.path("key")).orElseThrow();
        assertEquals(EnvelopeTerms.account(Party.P256Key.of(agentKey.jwk())), live.agent());
        assertEquals(given().get("/api/a2a/mandates/" + id).path("id"), live.mandateId());
        revoke(id, created.path("id"), jws).then().statusCode(200);
        assertEquals(Optional.empty(), keys.authenticate(created.path("key")));
    }
}
