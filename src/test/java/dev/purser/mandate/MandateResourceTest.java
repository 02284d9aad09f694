package dev.purser.mandate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.ledger.Envelopes;
import dev.purser.testing.NodePeers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The registry over HTTP on the real database: register, get, list, revoke, refusals. */
@QuarkusTest
class MandateResourceTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

    @Inject
    Envelopes envelopes;

    private final Secp256k1Key principal = Secp256k1Key.generate(RANDOM);

    private final Secp256k1Key agent = Secp256k1Key.generate(RANDOM);

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static Bytes32 random32() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Bytes32(bytes);
    }

    /** When this test began: every mandate of a test has the same window, so children fit. */
    private final long t0 = now();

    /** A SpendingMandate valid from an hour before the test for a day, with a fresh nonce. */
    private ObjectNode message(Address principal, Address agent, long budget,
            List<String> skills, Bytes32 parent) {
        ObjectNode m = Fixtures.JSON.createObjectNode();
        m.put("principal", principal.checksummed());
        m.put("agent", agent.checksummed());
        m.put("asset", USDC);
        m.put("budget", Long.toString(budget));
        m.put("perTaskMax", "0");
        skills.forEach(m.putArray("skills")::add);
        m.put("notBefore", t0 - 3600);
        m.put("expiresAt", t0 + 86_400);
        m.put("parent", parent.hex());
        m.put("nonce", random32().hex());
        return m;
    }

    private ObjectNode root(long budget, List<String> skills) {
        return message(principal.address(), agent.address(), budget, skills, Bytes32.ZERO);
    }

    private static Response register(String body) {
        return given().contentType("application/json").body(body).post("/api/a2a/mandates");
    }

    private static String registered(String body) {
        return register(body).then().statusCode(201).extract().path("id");
    }

    private static Response revoke(String id, Secp256k1Key signer) {
        ObjectNode revocation = Fixtures.JSON.createObjectNode().put("mandateId", id)
                .put("revokedAt", now());
        ObjectNode body = Fixtures.JSON.createObjectNode();
        body.set("revocation", revocation);
        body.put("signature", signer.sign(PurserTypes.REVOKE_MANDATE.typedData(
                PurserTypes.mandateDomain(84532), revocation).digest()).hex());
        return given().contentType("application/json").body(body.toString())
                .post("/api/a2a/mandates/" + id + "/revoke");
    }

    private static Response draw(String id, long amount, Secp256k1Key agentKey) {
        ObjectNode draw = Fixtures.JSON.createObjectNode().put("mandateId", id)
                .put("amount", Long.toString(amount)).put("idempotencyKey", random32().hex())
                .put("memo", "test").put("deadline", now() + 600);
        ObjectNode body = Fixtures.JSON.createObjectNode();
        body.set("draw", draw);
        body.put("signature", agentKey.sign(PurserTypes.DRAW.typedData(
                PurserTypes.mandateDomain(84532), draw).digest()).hex());
        return given().contentType("application/json").body(body.toString())
                .post("/api/a2a/mandates/" + id + "/use");
    }

    private static void assertRefusal(Response response, int status, String code, String field) {
        response.then().statusCode(status).body("error", equalTo(code))
                .body("field", equalTo(field));
        assertTrue(response.jsonPath().getString("message").contains(field.isEmpty()
                ? "" : field.substring(field.lastIndexOf('.') + 1)), response.asString());
    }

    /** viem's signTypedData over a fresh mandate of the viem key (Anvil #1). */
    private JsonNode viemSigned() throws Exception {
        ObjectNode input = Fixtures.JSON.createObjectNode()
                .put("privateKey", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
                .put("chainId", 84532);
        input.set("types", MandateExtension.params(84532).get("types"));
        input.set("message", message(Fixtures.ANVIL_1.address(), Address.of(Fixtures.ANVIL_2),
                5_000_000, List.of("echo-paid"), Bytes32.ZERO));
        return Fixtures.JSON.readTree(NodePeers.run("mandate/viem-sign-mandate.mjs",
                input.toString()));
    }

    @Test
    void aViemSignedMandateRegistersOnceAndAgainAnswersTheSameEnvelope() throws Exception {
        JsonNode signed = viemSigned();
        String body = signed.get("body").toString();
        Response first = register(body);
        first.then().statusCode(201).body("id", equalTo(signed.get("digest").asText()))
                .body("principal", equalTo(signed.get("address").asText()))
                .body("agent", equalTo(Fixtures.ANVIL_2)).body("budget", equalTo("5000000"))
                .body("spent", equalTo("0")).body("reserved", equalTo("0"))
                .body("remaining", equalTo("5000000")).body("status", equalTo("active"))
                .body("parent", equalTo(Bytes32.ZERO.hex())).body("skills[0]", equalTo("echo-paid"));
        String id = first.path("id");
        assertEquals("/api/a2a/mandates/" + id,
                java.net.URI.create(first.header("Location")).getPath());
        Response again = register(body);
        again.then().statusCode(200);
        assertEquals(Fixtures.JSON.readTree(first.asString()),
                Fixtures.JSON.readTree(again.asString()));
        given().get("/api/a2a/mandates/" + id).then().statusCode(200).body("id", equalTo(id))
                .body("expiresAt", equalTo(signed.at("/body/mandate/expiresAt").intValue()));
        List<String> byAgent = given().queryParam("agent", Fixtures.ANVIL_2.toLowerCase())
                .queryParam("principal", signed.get("address").asText())
                .get("/api/a2a/mandates").then().statusCode(200).extract().path("mandates.id");
        assertTrue(byAgent.contains(id), byAgent.toString());
    }

    @Test
    void theSameBytesWithOneFieldChangedAreASignatureMismatch() throws Exception {
        ObjectNode body = (ObjectNode) viemSigned().get("body");
        ((ObjectNode) body.get("mandate")).put("budget", "5000001");
        assertRefusal(register(body.toString()), 422, "signature_mismatch", "signature");
    }

    @Test
    void aSignatureByAnotherKeyIsASignatureMismatch() {
        String body = Fixtures.signed(root(1_000_000, List.of()), Secp256k1Key.generate(RANDOM));
        assertRefusal(register(body), 422, "signature_mismatch", "signature");
    }

    @Test
    void anExpiredMandateAndOneNotYetValidAreRefused() {
        ObjectNode expired = root(1_000_000, List.of()).put("notBefore", now() - 7200)
                .put("expiresAt", now() - 60);
        assertRefusal(register(Fixtures.signed(expired, principal)), 422, "expired",
                "mandate.expiresAt");
        ObjectNode future = root(1_000_000, List.of()).put("notBefore", now() + 3600);
        assertRefusal(register(Fixtures.signed(future, principal)), 422, "not_yet_valid",
                "mandate.notBefore");
    }

    @Test
    void malformedBodiesAreA400NamingTheField() {
        assertRefusal(register("{not json"), 400, "invalid", "");
        ObjectNode noBudget = root(1_000_000, List.of());
        noBudget.remove("budget");
        assertRefusal(register(Fixtures.body(noBudget, "0x" + "11".repeat(65))), 400, "invalid",
                "mandate.budget");
        given().get("/api/a2a/mandates/0x1234").then().statusCode(400)
                .body("error", equalTo("invalid")).body("field", equalTo("id"));
        given().get("/api/a2a/mandates/" + random32().hex()).then().statusCode(404)
                .body("error", equalTo("unknown_mandate"));
        given().get("/api/a2a/mandates").then().statusCode(400)
                .body("field", equalTo("principal"));
        given().queryParam("agent", "bob").get("/api/a2a/mandates").then().statusCode(400)
                .body("field", equalTo("agent"));
    }

    @Test
    void aChildThatWidensItsParentIsRefused() {
        String parentId = registered(Fixtures.signed(root(10_000_000, List.of("echo-paid")),
                principal));
        Address grandAgent = Secp256k1Key.generate(RANDOM).address();
        ObjectNode anySkill = message(agent.address(), grandAgent, 1_000_000, List.of(),
                Bytes32.fromHex(parentId));
        assertRefusal(register(Fixtures.signed(anySkill, agent)), 422, "scope_widens_parent",
                "mandate.skills");
        ObjectNode otherSkill = message(agent.address(), grandAgent, 1_000_000,
                List.of("echo"), Bytes32.fromHex(parentId));
        assertRefusal(register(Fixtures.signed(otherSkill, agent)), 422, "scope_widens_parent",
                "mandate.skills");
        ObjectNode outlives = message(agent.address(), grandAgent, 1_000_000,
                List.of("echo-paid"), Bytes32.fromHex(parentId)).put("expiresAt", t0 + 86_401);
        assertRefusal(register(Fixtures.signed(outlives, agent)), 422, "expiry_exceeds_parent",
                "mandate.expiresAt");
        ObjectNode byPrincipal = message(agent.address(), grandAgent, 1_000_000,
                List.of("echo-paid"), Bytes32.fromHex(parentId));
        assertRefusal(register(Fixtures.signed(byPrincipal, principal)), 422,
                "signature_mismatch", "signature");
    }

    @Test
    void aChildIsCarvedOutOfWhatItsParentHasLeft() {
        String parentId = registered(Fixtures.signed(root(10_000_000, List.of()), principal));
        Address childAgent = Secp256k1Key.generate(RANDOM).address();
        ObjectNode first = message(agent.address(), childAgent, 6_000_000, List.of(),
                Bytes32.fromHex(parentId));
        String firstId = registered(Fixtures.signed(first, agent));
        given().get("/api/a2a/mandates/" + parentId).then().body("reserved", equalTo("6000000"))
                .body("remaining", equalTo("4000000")).body("children[0]", equalTo(firstId));
        // 6 fits the parent's budget of 10 but not the 4 it has left: the ledger decides.
        ObjectNode second = message(agent.address(), childAgent, 6_000_000, List.of(),
                Bytes32.fromHex(parentId));
        Response refused = register(Fixtures.signed(second, agent));
        assertRefusal(refused, 422, "budget_exceeds_parent", "mandate.budget");
        assertTrue(refused.jsonPath().getString("message").contains("4000000"),
                refused.asString());
        ObjectNode overBudget = message(agent.address(), childAgent, 10_000_001, List.of(),
                Bytes32.fromHex(parentId));
        assertRefusal(register(Fixtures.signed(overBudget, agent)), 422,
                "budget_exceeds_parent", "mandate.budget");
        // The first child again: the same envelope, though the parent has no 6 left for it.
        register(Fixtures.signed(first, agent)).then().statusCode(200).body("id", equalTo(firstId));
        ObjectNode orphan = message(agent.address(), childAgent, 1, List.of(), random32());
        assertRefusal(register(Fixtures.signed(orphan, agent)), 422, "unknown_parent",
                "mandate.parent");
    }

    @Test
    void sixteenConcurrentRegistrationsOfOneMandateOpenOneEnvelope() throws Exception {
        String body = Fixtures.signed(root(3_000_000, List.of()), principal);
        int n = 16;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return register(body);
                }));
            }
            start.countDown();
            int created = 0;
            Set<String> ids = new HashSet<>();
            for (Future<Response> call : calls) {
                Response response = call.get();
                assertTrue(response.statusCode() == 201 || response.statusCode() == 200,
                        response.asString());
                created += response.statusCode() == 201 ? 1 : 0;
                ids.add(response.path("id"));
            }
            assertEquals(1, created);
            assertEquals(1, ids.size());
            String id = ids.iterator().next();
            List<String> listed = given().queryParam("principal", principal.address().lowerHex())
                    .get("/api/a2a/mandates").then().statusCode(200).extract().path("mandates.id");
            assertEquals(List.of(id), listed);
            List<String> types = given().get("/api/a2a/mandates/" + id + "/ledger").then()
                    .statusCode(200).extract().path("entries.type");
            assertEquals(List.of("open"), types);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void revokingAParentMakesEveryDescendantRefuseDraws() {
        Secp256k1Key childAgent = Secp256k1Key.generate(RANDOM);
        Secp256k1Key grandAgent = Secp256k1Key.generate(RANDOM);
        String rootId = registered(Fixtures.signed(root(10_000_000, List.of()), principal));
        String childId = registered(Fixtures.signed(message(agent.address(),
                childAgent.address(), 4_000_000, List.of(), Bytes32.fromHex(rootId)), agent));
        String grandId = registered(Fixtures.signed(message(childAgent.address(),
                grandAgent.address(), 1_000_000, List.of(), Bytes32.fromHex(childId)),
                childAgent));
        draw(grandId, 100, grandAgent).then().statusCode(200);
        draw(childId, 100, childAgent).then().statusCode(200);
        draw(rootId, 100, agent).then().statusCode(200);

        // Only the principal may revoke.
        assertRefusal(revoke(rootId, agent), 422, "signature_mismatch", "signature");
        revoke(rootId, principal).then().statusCode(200).body("status", equalTo("revoked"));
        for (String id : List.of(rootId, childId, grandId)) {
            given().get("/api/a2a/mandates/" + id).then().body("status", equalTo("revoked"));
        }
        draw(grandId, 100, grandAgent).then().statusCode(422).body("error", equalTo("revoked"));
        draw(childId, 100, childAgent).then().statusCode(422).body("error", equalTo("revoked"));
        draw(rootId, 100, agent).then().statusCode(422).body("error", equalTo("revoked"));
        // Spent stays spent; again is harmless.
        revoke(rootId, principal).then().statusCode(200).body("spent", equalTo("300"));
        revoke(random32().hex(), principal).then().statusCode(404)
                .body("error", equalTo("unknown_mandate"));
    }

    @Test
    void aChildsPrincipalRevokesItAloneAndItsRestReturnsToTheParent() {
        Secp256k1Key childAgent = Secp256k1Key.generate(RANDOM);
        String rootId = registered(Fixtures.signed(root(10_000_000, List.of()), principal));
        String childId = registered(Fixtures.signed(message(agent.address(),
                childAgent.address(), 4_000_000, List.of(), Bytes32.fromHex(rootId)), agent));
        draw(childId, 1_000, childAgent).then().statusCode(200);
        revoke(childId, agent).then().statusCode(200).body("status", equalTo("revoked"));
        given().get("/api/a2a/mandates/" + rootId).then().body("status", equalTo("active"))
                .body("spent", equalTo("1000")).body("reserved", equalTo("0"))
                .body("remaining", equalTo("9999000"));
        draw(rootId, 100, agent).then().statusCode(200);
    }

    @Test
    void anExpiredEnvelopeRefusesDraws() throws Exception {
        ObjectNode brief = root(1_000_000, List.of()).put("expiresAt", now() + 4);
        String id = registered(Fixtures.signed(brief, principal));
        // Waits for expiry to pass; asserts the state, not how long it took.
        while (now() < brief.get("expiresAt").asLong() + 1) {
            Thread.sleep(200);
        }
        given().get("/api/a2a/mandates/" + id).then().body("status", equalTo("expired"));
        draw(id, 100, agent).then().statusCode(422).body("error", equalTo("expired"));
    }

    @Test
    void theLedgerRoutesStillAnswerBesideTheRegistry() {
        String id = registered(Fixtures.signed(root(1_000_000, List.of()), principal));
        given().get("/api/a2a/mandates/" + id + "/ledger").then().statusCode(200)
                .body("entries[0].type", equalTo("open"));
        given().queryParam("amount", "10").get("/api/a2a/mandates/" + id + "/quote").then()
                .statusCode(200);
        given().get("/api/a2a/mandates/" + id + "/report").then().statusCode(200);
        draw(id, 10, agent).then().statusCode(200).body("receipt.amount", equalTo("10"));
    }

    private final Ap2Issuer issuer = new Ap2Issuer();

    private ObjectNode ap2Content() {
        ObjectNode content = Fixtures.JSON.createObjectNode().put("vct", "mandate.payment.open.1");
        var constraints = content.putArray("constraints");
        constraints.addObject().put("type", "payment.budget").put("max", new BigDecimal("2.50"))
                .put("currency", "USD");
        constraints.addObject().put("type", "payment.agent_recurrence").put("frequency", "WEEKLY");
        content.putObject("cnf").set("jwk", new Ap2Issuer().jwk());
        content.put("iat", now() - 60).put("exp", now() + 86_400);
        return content;
    }

    @Test
    void anAp2MandateRegistersUnderItsKeysAndAForgedOrUnknownOneIsRefused() {
        String token = issuer.issue(ap2Content());
        Response created = register(Ap2Issuer.body(token));
        created.then().statusCode(201).body("form", equalTo("ap2-sd-jwt"))
                .body("budget", equalTo("2500000")).body("recurrence", equalTo("weekly"))
                .body("principal", equalTo(Party.P256Key.of(issuer.jwk()).id()));
        register(Ap2Issuer.body(token)).then().statusCode(200)
                .body("id", equalTo(created.path("id")));
        given().queryParam("principal", Party.P256Key.of(issuer.jwk()).id())
                .get("/api/a2a/mandates").then().statusCode(200)
                .body("mandates[0].id", equalTo(created.path("id")));

        ObjectNode header = Fixtures.JSON.createObjectNode().put("alg", "ES256");
        header.set("jwk", issuer.jwk());
        String forged = issuer.issue(header, ap2Content(), new Ap2Issuer());
        assertRefusal(register(Ap2Issuer.body(forged)), 422, "signature_mismatch", "sdJwt");

        ObjectNode unknown = ap2Content();
        ((com.fasterxml.jackson.databind.node.ArrayNode) unknown.get("constraints")).addObject()
                .put("type", "com.example.loyalty").put("points", 3);
        Response refused = register(Ap2Issuer.body(issuer.issue(unknown)));
        refused.then().statusCode(422).body("error", equalTo("unknown_constraint"))
                .body("field", equalTo("delegate_payload[0].constraints[2].type"));
    }

    /** Who an AP2 closed mandate is addressed to: this server, by its receipt signer. */
    private String purser() {
        return envelopes.receiptSigner().checksummed();
    }

    private static Response useAp2(String use, String chain) {
        return given().contentType("application/json")
                .body(Fixtures.JSON.createObjectNode().put("ap2", chain).toString()).post(use);
    }

    private static Response postJws(String revoke, String jws) {
        return given().contentType("application/json")
                .body(Fixtures.JSON.createObjectNode().put("jws", jws).toString()).post(revoke);
    }

    private static ObjectNode closedContent(long cents, String payee, String transaction) {
        ObjectNode closed = Fixtures.JSON.createObjectNode().put("vct", "mandate.payment.1")
                .put("transaction_id", transaction);
        closed.putObject("payee").put("id", payee).put("name", payee);
        closed.putObject("payment_amount").put("amount", cents).put("currency", "USD");
        closed.putObject("payment_instrument").put("id", "x402").put("type", "x402");
        return closed;
    }

    @Test
    void anAp2MandateIsDrawnWithItsAgentsClosedMandatesOnceEach() {
        Ap2Issuer agentKey = new Ap2Issuer();
        ObjectNode content = ap2Content();
        content.putObject("cnf").set("jwk", agentKey.jwk());
        ((com.fasterxml.jackson.databind.node.ArrayNode) content.get("constraints")).addObject()
                .put("type", "payment.allowed_payees").putArray("allowed").addObject()
                .put("id", "purser").put("name", "Purser");
        String open = issuer.issue(content);
        String id = register(Ap2Issuer.body(open)).then().statusCode(201).extract().path("id");
        String use = "/api/a2a/mandates/" + id + "/use";

        // 0.75 USD = 750,000 atomic units of USDC, drawn once however often it is presented.
        String chain = agentKey.close(open, closedContent(75, "purser", "tx-1"), purser());
        Response first = useAp2(use, chain);
        first.then().statusCode(200).body("receipt.amount", equalTo("750000"))
                .body("receipt.mandateId", equalTo(id));
        useAp2(use, chain).then().statusCode(200)
                .body("receipt.signature", equalTo(first.path("receipt.signature")));
        given().get("/api/a2a/mandates/" + id).then().statusCode(200)
                .body("spent", equalTo("750000"));
        // Another closed mandate with the same nonce (ES256 signs anew each time) is a replay.
        useAp2(use, agentKey.close(open, closedContent(75, "purser", "tx-1"), purser()))
                .then().statusCode(422).body("error", equalTo("nonce_reused"));
        // One addressed to someone else is not for this server.
        useAp2(use, agentKey.close(open, closedContent(75, "purser", "tx-5"), "purser"))
                .then().statusCode(422).body("error", equalTo("audience_mismatch"));

        String otherKey = new Ap2Issuer().close(open, closedContent(75, "purser", "tx-2"), purser());
        useAp2(use, otherKey).then().statusCode(422)
                .body("error", equalTo("signature_mismatch"));
        String elsewhere = agentKey.close(open, closedContent(75, "someone-else", "tx-3"), purser());
        useAp2(use, elsewhere).then().statusCode(422)
                .body("error", equalTo("payee_not_allowed"));
        String tooMuch = agentKey.close(open, closedContent(200, "purser", "tx-4"), purser());
        useAp2(use, tooMuch).then().statusCode(402)
                .body("error", equalTo("insufficient_budget"));
        assertRefusal(given().contentType("application/json").body("{\"ap2\": \"x~~y~~z\"}")
                .post(use), 400, "invalid_request", "ap2");
    }

    @Test
    void anAp2MandateIsRevokedByAJwsOfItsIssuerKeyAndNobodyElses() {
        String id = register(Ap2Issuer.body(issuer.issue(ap2Content()))).then().statusCode(201)
                .extract().path("id");
        String revoke = "/api/a2a/mandates/" + id + "/revoke";
        ObjectNode claims = Fixtures.JSON.createObjectNode().put("mandateId", id)
                .put("revokedAt", now() - 5);
        String typ = "purser-revocation+jwt";

        postJws(revoke, new Ap2Issuer().jws(typ, claims)).then().statusCode(422).body("error", equalTo("signature_mismatch"))
                .body("field", equalTo("jws"));
        postJws(revoke, issuer.jws("JWT", claims)).then().statusCode(400).body("field", equalTo("jws"));
        ObjectNode other = claims.deepCopy().put("mandateId", "0x" + "ab".repeat(32));
        postJws(revoke, issuer.jws(typ, other)).then().statusCode(400).body("field", equalTo("jws.mandateId"));
        given().get("/api/a2a/mandates/" + id).then().statusCode(200)
                .body("status", equalTo("active"));

        postJws(revoke, issuer.jws(typ, claims)).then().statusCode(200).body("status", equalTo("revoked"));
    }
}
