package dev.purser.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MandateLedgerResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Envelopes envelopes;

    private final Secp256k1Key agentKey = Secp256k1Key.generate(new SecureRandom());

    private Envelope openFor(long budget, EnvelopeSpec.Limits limits) {
        return Ledgers.open(envelopes, EnvelopeSpec.root(Ledgers.randomId(),
                Ledgers.randomAddress(), agentKey.address(), Ledgers.USDC, Ledgers.NETWORK,
                budget).withLimits(limits));
    }

    private ObjectNode draw(Bytes32 mandateId, long amount, Bytes32 key, String memo,
            Secp256k1Key signer) {
        ObjectNode draw = JSON.createObjectNode();
        draw.put("mandateId", mandateId.hex());
        draw.put("amount", Long.toString(amount));
        draw.put("idempotencyKey", key.hex());
        draw.put("memo", memo);
        draw.put("deadline", System.currentTimeMillis() / 1000 + 600);
        ObjectNode body = JSON.createObjectNode();
        body.set("draw", draw);
        if (signer != null) {
            body.put("signature", signer.sign(PurserTypes.DRAW.typedData(
                    PurserTypes.mandateDomain(84532), draw).digest()).hex());
        }
        return body;
    }

    private Response use(Bytes32 id, Object body) {
        return given().contentType("application/json").body(body.toString())
                .post("/api/a2a/mandates/" + id.hex() + "/use");
    }

    @Test
    void aSignedDrawAnswersASignedReceiptAndTheSameKeyAgainTheSameOne() throws Exception {
        Envelope e = openFor(1000, EnvelopeSpec.Limits.NONE);
        Bytes32 key = Ledgers.randomId();
        String first = use(e.id(), draw(e.id(), 400, key, "lunch", agentKey)).then()
                .statusCode(200).body("receipt.amount", equalTo("400"))
                .body("receipt.signer", equalTo(envelopes.receiptSigner().checksummed()))
                .extract().asString();
        String second = use(e.id(), draw(e.id(), 400, key, "lunch", agentKey)).then()
                .statusCode(200).extract().asString();
        assertEquals(JSON.readTree(first), JSON.readTree(second));
        Receipt receipt = Receipt.fromJson(JSON.readTree(first).get("receipt"));
        assertTrue(receipt.verify(84532, envelopes.receiptSigner()));
        assertEquals(400, envelopes.find(e.id()).orElseThrow().spent());

        use(e.id(), draw(e.id(), 401, key, "lunch", agentKey)).then().statusCode(422)
                .body("error", equalTo("idempotency_key_reused"));
        use(e.id(), draw(e.id(), 601, Ledgers.randomId(), "dinner", agentKey)).then()
                .statusCode(402).body("error", equalTo("insufficient_budget"));
    }

    @Test
    void receiptsVerifyWithTheSignerAndChainTheCardPublishes() throws Exception {
        JsonNode card = JSON.readTree(given().get("/.well-known/agent-card.json").then()
                .statusCode(200).extract().asString());
        JsonNode params = null;
        for (JsonNode ext : card.at("/capabilities/extensions")) {
            if (ext.path("uri").asText().equals("https://purser.dev/ext/spending-mandate/v1")) {
                params = ext.get("params");
            }
        }
        assertNotNull(params, "the card declares the spending-mandate extension");
        dev.purser.crypto.Address published =
                dev.purser.crypto.Address.of(params.get("receiptSigner").asText());
        long chainId = params.at("/domain/chainId").asLong();
        Envelope e = openFor(1000, EnvelopeSpec.Limits.NONE);
        Receipt receipt = Receipt.fromJson(JSON.readTree(use(e.id(), draw(e.id(), 7,
                Ledgers.randomId(), "tea", agentKey)).then().statusCode(200).extract()
                .asString()).get("receipt"));
        assertTrue(receipt.verify(chainId, published), "verifies with the card's receiptSigner");
        Receipt forged = new Receipt(receipt.mandateId(), 8, receipt.idempotencyKey(),
                receipt.entryHash(), receipt.issuedAt(), receipt.signer(), receipt.signature());
        assertTrue(!forged.verify(chainId, published), "a changed amount does not verify");
    }

    @Test
    void onlyTheMandatesAgentMayDraw() {
        Envelope e = openFor(1000, EnvelopeSpec.Limits.NONE);
        Secp256k1Key stranger = Secp256k1Key.generate(new SecureRandom());
        use(e.id(), draw(e.id(), 1, Ledgers.randomId(), "x", stranger)).then().statusCode(422)
                .body("error", equalTo("signature_mismatch"));
        use(e.id(), draw(e.id(), 1, Ledgers.randomId(), "x", null)).then().statusCode(422)
                .body("error", equalTo("signature_mismatch"));
        // A bearer token whose subject is the agent's address stands in for the signature.
        given().contentType("application/json")
                .header("Authorization", Tokens.bearer(agentKey.address().checksummed()))
                .body(draw(e.id(), 5, Ledgers.randomId(), "x", null).toString())
                .post("/api/a2a/mandates/" + e.id().hex() + "/use")
                .then().statusCode(200).body("receipt.amount", equalTo("5"));
        // The signed mandateId must be the URL's.
        Envelope other = openFor(1000, EnvelopeSpec.Limits.NONE);
        use(e.id(), draw(other.id(), 1, Ledgers.randomId(), "x", agentKey)).then()
                .statusCode(422).body("error", equalTo("signature_mismatch"));
    }

    @Test
    void malformedInputIsA400NamingTheFieldAndUnknownMandatesA404() {
        Envelope e = openFor(1000, EnvelopeSpec.Limits.NONE);
        use(e.id(), "{not json").then().statusCode(400).body("error", equalTo("invalid_request"));
        ObjectNode body = draw(e.id(), 1, Ledgers.randomId(), "x", agentKey);
        ((ObjectNode) body.get("draw")).put("amount", "1.5");
        use(e.id(), body).then().statusCode(400).body("field", equalTo("draw.amount"));
        ((ObjectNode) body.get("draw")).put("amount", "-1");
        use(e.id(), body).then().statusCode(400).body("field", equalTo("draw.amount"));
        ((ObjectNode) body.get("draw")).put("amount", "99999999999999999999999");
        use(e.id(), body).then().statusCode(400).body("field", equalTo("draw.amount"));
        given().contentType("application/json").body("{}")
                .post("/api/a2a/mandates/nope/use").then().statusCode(400)
                .body("field", equalTo("id"));
        Bytes32 unknown = Ledgers.randomId();
        use(unknown, draw(unknown, 1, Ledgers.randomId(), "x", agentKey)).then()
                .statusCode(404).body("error", equalTo("unknown_mandate"));
        given().get("/api/a2a/mandates/" + e.id().hex() + "/ledger?limit=0").then()
                .statusCode(400).body("field", equalTo("limit"));
        given().get("/api/a2a/mandates/" + e.id().hex() + "/quote?amount=abc").then()
                .statusCode(400).body("field", equalTo("amount"));
    }

    @Test
    void guardsAnswer429WithRetryAfter() {
        Envelope e = openFor(10_000, new EnvelopeSpec.Limits(0, 2, 0, 0));
        for (int i = 0; i < 2; i++) {
            use(e.id(), draw(e.id(), 1, Ledgers.randomId(), "m" + i, agentKey)).then()
                    .statusCode(200);
        }
        use(e.id(), draw(e.id(), 1, Ledgers.randomId(), "m3", agentKey)).then()
                .statusCode(429).header("Retry-After", notNullValue())
                .body("error", equalTo("rate_limited"));
    }

    @Test
    void theLedgerPagesThroughAChainedJournalWithItsReceipts() throws Exception {
        Envelope e = openFor(1000, EnvelopeSpec.Limits.NONE);
        for (int i = 0; i < 5; i++) {
            use(e.id(), draw(e.id(), 10, Ledgers.randomId(), "d" + i, agentKey)).then()
                    .statusCode(200);
        }
        // open + 5 one-phase draws (a capture from available to spent each) = 6 entries, 5
        // receipts, in pages of 4.
        Bytes32 prev = Bytes32.ZERO;
        int entries = 0;
        int receipts = 0;
        String after = "0";
        while (after != null) {
            JsonNode page = JSON.readTree(given().get("/api/a2a/mandates/" + e.id().hex()
                    + "/ledger?limit=4&after=" + after).then().statusCode(200).extract().asString());
            for (JsonNode json : page.get("entries")) {
                JournalEntry entry = JournalEntry.fromJson(json);
                assertEquals(prev, entry.prevHash());
                assertTrue(entry.hashVerifies());
                if (entries > 0) {
                    assertEquals(JournalEntry.Type.CAPTURE, entry.type());
                    assertEquals(JournalEntry.Account.AVAILABLE, entry.debit());
                    assertEquals(JournalEntry.Account.SPENT, entry.credit());
                }
                prev = entry.hash();
                entries++;
            }
            for (JsonNode json : page.get("receipts")) {
                assertTrue(Receipt.fromJson(json).verify(84532, envelopes.receiptSigner()));
                receipts++;
            }
            after = page.get("next").isNull() ? null : page.get("next").asText();
        }
        assertEquals(6, entries);
        assertEquals(5, receipts);

        JsonNode report = JSON.readTree(given().get("/api/a2a/mandates/" + e.id().hex()
                + "/report").then().statusCode(200).extract().asString());
        assertEquals("50", report.get("spent").asText());
        assertEquals(5, report.get("draws").asInt());
        given().get("/api/a2a/mandates/" + e.id().hex() + "/quote?amount=951").then()
                .statusCode(200).body("admissible", equalTo(false))
                .body("error", equalTo("insufficient_budget"));
        given().get("/api/a2a/mandates/" + e.id().hex() + "/quote?amount=950").then()
                .statusCode(200).body("admissible", equalTo(true));
        assertNotNull(report.get("bySkill"));
    }
}
