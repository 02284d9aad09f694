package dev.purser.billing;

import static dev.purser.billing.PaidTasks.ERROR;
import static dev.purser.billing.PaidTasks.PRICE;
import static dev.purser.billing.PaidTasks.REASON;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.billing.PaidTasks.Agent;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.JournalEntry;
import dev.purser.testing.Ap2Wallet;
import dev.purser.testing.Rpc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Paid tasks bought under AP2 v0.2 mandates (issue 20): the x402 payment's nonce is keccak256 of
 * the mandate chain that travels with it, and the AP2 envelope is drawn exactly as an EIP-712
 * one. Every chain here is made by {@link Ap2Wallet}, an implementation independent of Purser's;
 * every refusal is refused with its code and moves no money.
 */
@QuarkusTest
class Ap2PaidTaskTest {

    static final String CHAIN_KEY = "ap2.mandates.PaymentMandateSdJwt";

    @Inject
    Envelopes envelopes;

    @Inject
    DataSource db;

    private final PaidTasks client = new PaidTasks();
    private final Rpc rpc = Rpc.v03();
    private final Ap2Wallet issuer = new Ap2Wallet();
    private final Ap2Wallet agent = new Ap2Wallet();
    /** The wallet that pays x402: any Ethereum key; the closed mandate is the authority. */
    private final Agent payer = Agent.generate();

    static Response register(String sdJwt) {
        return given().contentType("application/json")
                .body(Ap2Wallet.JSON.createObjectNode().put("sdJwt", sdJwt).toString())
                .post("/api/a2a/mandates");
    }

    private String aud() {
        return envelopes.receiptSigner().checksummed();
    }

    /** A registered root mandate of 1.00 USD for {@link #agent}; answers its open token. */
    private String rootMandate() {
        String open = issuer.issue(Ap2Wallet.openMandate(agent, "1.00", List.of("echo-paid"), 3600));
        register(open).then().statusCode(201);
        return open;
    }

    private Envelope envelope(String hop) {
        return envelopes.find(Bytes32.fromHex(Ap2Wallet.id(hop))).orElseThrow();
    }

    /** Asks echo-paid, then pays it with {@code chain} and a payment whose nonce is {@code nonce}. */
    private JsonPath buy(String chain, String nonce) {
        return buy(chain, Map.of("nonce", nonce));
    }

    /** Asks echo-paid, then pays it with {@code chain} and a payment with {@code authorization}. */
    private JsonPath buy(String chain, Map<String, Object> authorization) {
        JsonPath asked = client.ask("ap2 " + UUID.randomUUID(), null);
        ObjectNode payment = PaidTasks.signed(PaidTasks.requirement(asked), payer, authorization);
        Map<String, Object> m = new HashMap<>(rpc.textMessage("paid under AP2"));
        m.put("taskId", asked.getString("result.id"));
        m.put("metadata", Map.of("x402.payment.status", "payment-submitted",
                "x402.payment.payload", PaidTasks.JSON.convertValue(payment, Map.class),
                CHAIN_KEY, chain));
        return rpc.call("message/send", Map.of("message", m));
    }

    /** Buys with {@code chain}, bound as AP2 binds it. */
    private JsonPath buy(String chain) {
        return buy(chain, Ap2Wallet.keccak(chain));
    }

    private String closed(Ap2Wallet signer, String hop, long cents) {
        return signer.close(hop, Ap2Wallet.closedMandate(cents), aud(), UUID.randomUUID().toString());
    }

    private static void assertRefused(JsonPath r, String reason) {
        assertEquals("failed", r.getString("result.status.state"), r::prettify);
        assertEquals("MANDATE_REFUSED", r.getString(ERROR), r::prettify);
        assertEquals(reason, r.getString(REASON), r::prettify);
        assertNull(r.get("result.artifacts"), "no work for a refused payment");
    }

    /** The envelope of {@code hop} has spent {@code spent} and holds nothing. */
    private void assertSpent(String hop, long spent) {
        Envelope e = envelope(hop);
        assertEquals(spent, e.spent(), "spent");
        assertEquals(0, e.reserved(), "reserved");
        assertEquals(spent == 0 ? 0 : spent / PRICE,
                PaidTasks.entries(envelopes, e.id(), JournalEntry.Type.CAPTURE), "captures");
    }

    @Test
    void aPaidTaskIsBoughtUnderAnAp2MandateAndItsEnvelopePaysThePriceOnce() {
        String open = rootMandate();
        String chain = Ap2Wallet.chain(open, closed(agent, open, 1));

        JsonPath done = buy(chain);

        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertEquals("payment-completed", done.getString(PaidTasks.STATUS));
        assertNotNull(done.get("result.status.message.metadata.'purser.receipt'"));
        assertEquals(Ap2Wallet.id(open),
                done.getString("result.status.message.metadata.'purser.receipt'.mandateId"));
        assertSpent(open, PRICE);
        assertEquals(1_000_000 - PRICE, envelope(open).remaining());
    }

    @Test
    void aPaymentNotBoundToItsChainIsRefused() {
        String open = rootMandate();
        String chain = Ap2Wallet.chain(open, closed(agent, open, 1));
        // The nonce of another chain, and a closed mandate for another amount.
        assertRefused(buy(chain, Ap2Wallet.keccak(chain + "x")), "binding_mismatch");
        String dearer = Ap2Wallet.chain(open, closed(agent, open, 2));
        assertRefused(buy(dearer), "binding_mismatch");
        assertSpent(open, 0);
    }

    @Test
    void aReplayedClosedMandateIsRefused() {
        String open = rootMandate();
        String nonce = UUID.randomUUID().toString();
        String chain = Ap2Wallet.chain(open,
                agent.close(open, Ap2Wallet.closedMandate(1), aud(), nonce));
        assertEquals("completed", buy(chain).getString("result.status.state"));

        // The same closed mandate for another task, and another closed mandate with its nonce.
        assertRefused(buy(chain), "nonce_reused");
        String sameNonce = Ap2Wallet.chain(open,
                agent.close(open, Ap2Wallet.closedMandate(1), aud(), nonce));
        assertRefused(buy(sameNonce), "nonce_reused");
        assertSpent(open, PRICE);
    }

    @Test
    void aClosedMandateForAnotherAudienceIsRefused() {
        String open = rootMandate();
        String elsewhere = Ap2Wallet.chain(open, agent.close(open, Ap2Wallet.closedMandate(1),
                "credential-provider", UUID.randomUUID().toString()));
        assertRefused(buy(elsewhere), "audience_mismatch");
        assertSpent(open, 0);
    }

    @Test
    void anExpiredAndANotYetValidClosedMandateAreRefused() {
        String open = rootMandate();
        long now = Ap2Wallet.now();
        String stale = Ap2Wallet.chain(open, agent.close(open, Ap2Wallet.closedMandate(1), aud(),
                UUID.randomUUID().toString(), now - 3600));
        assertRefused(buy(stale), "expired");
        String lapsed = Ap2Wallet.chain(open, agent.close(open, Ap2Wallet.closedMandate(1), aud(),
                UUID.randomUUID().toString(), now - 60));
        assertEquals("completed", buy(lapsed).getString("result.status.state"),
                "a closed mandate issued a minute ago is fresh");
        String early = Ap2Wallet.chain(open, agent.close(open, Ap2Wallet.closedMandate(1), aud(),
                UUID.randomUUID().toString(), now + 3600));
        assertRefused(buy(early), "not_yet_valid");
        assertSpent(open, PRICE);
    }

    @Test
    void anOpenMandateWithAnUnknownConstraintIsRefusedAtRegistrationAndAtPayment() {
        ObjectNode content = Ap2Wallet.openMandate(agent, "1.00", List.of("echo-paid"), 3600);
        ((ArrayNode) content.get("constraints")).addObject().put("type", "com.example.loyalty")
                .put("points", 3);
        String open = issuer.issue(content);
        register(open).then().statusCode(422);
        assertEquals("unknown_constraint", register(open).path("error"));

        JsonPath r = buy(Ap2Wallet.chain(open, closed(agent, open, 1)));
        assertRefused(r, "unknown_constraint");
        assertEquals(java.util.Optional.empty(),
                envelopes.find(Bytes32.fromHex(Ap2Wallet.id(open))), "no envelope, no money");
    }

    @Test
    void aClosedMandateSignedByAnotherKeyIsRefused() {
        String open = rootMandate();
        assertRefused(buy(Ap2Wallet.chain(open, closed(new Ap2Wallet(), open, 1))),
                "signature_mismatch");
        assertSpent(open, 0);
    }

    /** A child of {@code parent} for {@code sub}, delegated by {@link #agent} (the parent's cnf). */
    private String child(String parent, Ap2Wallet sub, String budgetUsd, List<String> skills,
            long expiresIn) {
        return agent.delegate(parent, Ap2Wallet.openMandate(sub, budgetUsd, skills, expiresIn), aud(),
                UUID.randomUUID().toString());
    }

    @Test
    void aChildDrawnToItsCapLeavesItsParentsRestIntact() {
        String parent = rootMandate();
        Ap2Wallet sub = new Ap2Wallet();
        String child = child(parent, sub, "0.02", List.of("echo-paid"), 1800);
        register(Ap2Wallet.chain(parent, child)).then().statusCode(201)
                .body("parent", org.hamcrest.Matchers.equalTo(Ap2Wallet.id(parent)))
                .body("budget", org.hamcrest.Matchers.equalTo("20000"));

        for (int i = 0; i < 2; i++) {
            JsonPath done = buy(Ap2Wallet.chain(parent, child, closed(sub, child, 1)));
            assertEquals("completed", done.getString("result.status.state"), done::prettify);
        }
        JsonPath over = buy(Ap2Wallet.chain(parent, child, closed(sub, child, 1)));
        assertEquals("insufficient_budget", over.getString(REASON), over::prettify);
        assertSpent(child, 2 * PRICE);
        assertEquals(0, envelope(child).remaining());
        // The parent gave the child its 0.02 and keeps the rest, which its own agent still draws.
        assertEquals(1_000_000 - 2 * PRICE, envelope(parent).remaining());
        JsonPath own = buy(Ap2Wallet.chain(parent, closed(agent, parent, 1)));
        assertEquals("completed", own.getString("result.status.state"), own::prettify);
        assertEquals(1_000_000 - 3 * PRICE, envelope(parent).remaining());
    }

    @Test
    void aChildChainThatWidensItsParentIsRefused() {
        String parent = rootMandate();
        Ap2Wallet sub = new Ap2Wallet();
        assertEquals("scope_widens_parent", register(Ap2Wallet.chain(parent,
                child(parent, sub, "0.02", List.of("echo-paid", "echo"), 1800))).path("error"));
        assertEquals("budget_exceeds_parent", register(Ap2Wallet.chain(parent,
                child(parent, sub, "2.00", List.of("echo-paid"), 1800))).path("error"));
        assertEquals("expiry_exceeds_parent", register(Ap2Wallet.chain(parent,
                child(parent, sub, "0.02", List.of("echo-paid"), 7200))).path("error"));
        // Only the holder of the parent's cnf key may delegate it.
        String forged = sub.delegate(parent, Ap2Wallet.openMandate(sub, "0.02", List.of("echo-paid"), 1800),
                aud(), "n");
        Response refused = register(Ap2Wallet.chain(parent, forged));
        assertEquals(422, refused.statusCode());
        assertEquals("signature_mismatch", refused.path("error"));
        assertEquals(1_000_000, envelope(parent).remaining(), "nothing was carved out");
    }

    @Test
    void revokingTheParentStopsTheChild() {
        String parent = rootMandate();
        Ap2Wallet sub = new Ap2Wallet();
        String child = child(parent, sub, "0.05", List.of("echo-paid"), 1800);
        register(Ap2Wallet.chain(parent, child)).then().statusCode(201);
        ObjectNode revocation = Ap2Wallet.JSON.createObjectNode()
                .put("mandateId", Ap2Wallet.id(parent)).put("revokedAt", Ap2Wallet.now());
        given().contentType("application/json").body(Ap2Wallet.JSON.createObjectNode()
                .put("jws", issuer.jws("purser-revocation+jwt", revocation)).toString())
                .post("/api/a2a/mandates/" + Ap2Wallet.id(parent) + "/revoke")
                .then().statusCode(200);

        assertRefused(buy(Ap2Wallet.chain(parent, child, closed(sub, child, 1))), "revoked");
        assertSpent(child, 0);
        assertEquals("revoked", given().get("/api/a2a/mandates/" + Ap2Wallet.id(child))
                .path("status"));
    }

    /** An EnvelopePolicy for the mandate of {@code hop}, as an ES256 JWS by {@code signer}. */
    private static io.restassured.response.Response putPolicy(Ap2Wallet signer, String hop,
            long dailyMax, long issuedAt) {
        ObjectNode policy = Ap2Wallet.JSON.createObjectNode().put("mandate", Ap2Wallet.id(hop))
                .put("dailyMax", Long.toString(dailyMax)).put("ratePerMinute", 0)
                .put("concurrency", 0).put("loopPerMinute", 0).put("webhook", "")
                .put("issuedAt", issuedAt);
        policy.putArray("softLimits");
        return given().contentType("application/json").body(Ap2Wallet.JSON.createObjectNode()
                .put("jws", signer.jws("purser-policy+jwt", policy)).toString())
                .put("/api/a2a/mandates/" + Ap2Wallet.id(hop) + "/policy");
    }

    @Test
    void anIssuersPolicyCapsTheAp2EnvelopePerDayThroughPaidTasks() {
        String open = rootMandate();
        long now = Ap2Wallet.now();
        // Only the issuer key speaks for the principal; the agent's key does not.
        putPolicy(agent, open, PRICE, now).then().statusCode(422)
                .body("error", org.hamcrest.Matchers.equalTo("signature_mismatch"));
        putPolicy(issuer, open, PRICE, now).then().statusCode(200)
                .body("policy.dailyMax", org.hamcrest.Matchers.equalTo(Long.toString(PRICE)));
        putPolicy(issuer, open, 0, now - 1).then().statusCode(409)
                .body("error", org.hamcrest.Matchers.equalTo("policy_outdated"));

        JsonPath done = buy(Ap2Wallet.chain(open, closed(agent, open, 1)));
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertRefused(buy(Ap2Wallet.chain(open, closed(agent, open, 1))), "daily_limit_exceeded");
        assertSpent(open, PRICE);
    }

    @Test
    void anAp2ChildStartsWithItsParentsPolicyAndMayOnlyTightenIt() {
        String parent = rootMandate();
        long now = Ap2Wallet.now();
        putPolicy(issuer, parent, 3 * PRICE, now).then().statusCode(200);
        Ap2Wallet sub = new Ap2Wallet();
        String child = child(parent, sub, "0.50", List.of("echo-paid"), 1800);
        register(Ap2Wallet.chain(parent, child)).then().statusCode(201)
                .body("policy.dailyMax", org.hamcrest.Matchers.equalTo(Long.toString(3 * PRICE)));
        // The child's principal is the parent's cnf key (the delegating agent).
        putPolicy(agent, child, 4 * PRICE, now).then().statusCode(422)
                .body("error", org.hamcrest.Matchers.equalTo("policy_loosens_parent"));
        putPolicy(agent, child, PRICE, now).then().statusCode(200);

        JsonPath done = buy(Ap2Wallet.chain(parent, child, closed(sub, child, 1)));
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertRefused(buy(Ap2Wallet.chain(parent, child, closed(sub, child, 1))),
                "daily_limit_exceeded");
        assertSpent(child, PRICE);
    }

    /** The closed-mandate nonces taken on the mandate {@code hop} is. */
    private int noncesTaken(String hop) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from ap2_closed_mandate where mandate_id = ?")) {
            ps.setString(1, Ap2Wallet.id(hop));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static ObjectNode instrument(ObjectNode closed) {
        return (ObjectNode) closed.get("payment_instrument");
    }

    @Test
    void aPurchaseRefusedAfterAdmissionGivesItsClosedMandatesNonceBack() {
        String open = rootMandate();
        String nonce = UUID.randomUUID().toString();
        // Refused at admission: 2 cents for a task of 1.
        assertRefused(buy(Ap2Wallet.chain(open,
                agent.close(open, Ap2Wallet.closedMandate(2), aud(), nonce))), "binding_mismatch");
        // Refused by the payment's own checks, after the envelope was held: it pays too little.
        String chain = Ap2Wallet.chain(open,
                agent.close(open, Ap2Wallet.closedMandate(1), aud(), nonce));
        JsonPath underpaid = buy(chain, Map.of("nonce", Ap2Wallet.keccak(chain), "value", "1"));
        assertEquals("failed", underpaid.getString("result.status.state"), underpaid::prettify);
        assertSpent(open, 0);

        // Neither paid anything: the nonce, and this very closed mandate, still buy a task.
        JsonPath done = buy(chain);
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertSpent(open, PRICE);
        assertRefused(buy(chain), "nonce_reused");
    }

    @Test
    void aClosedMandateRefusedForBudgetLeavesItsNonceUnspent() throws SQLException {
        String open = issuer.issue(Ap2Wallet.openMandate(agent, "0.01", List.of("echo-paid"), 3600));
        register(open).then().statusCode(201);
        JsonPath spent = buy(Ap2Wallet.chain(open, closed(agent, open, 1)));
        assertEquals("completed", spent.getString("result.status.state"), spent::prettify);

        JsonPath task = buy(Ap2Wallet.chain(open, closed(agent, open, 1)));
        assertEquals("insufficient_budget", task.getString(REASON), task::prettify);
        Response direct = given().contentType("application/json")
                .body(Ap2Wallet.JSON.createObjectNode()
                        .put("ap2", Ap2Wallet.chain(open, closed(agent, open, 1))).toString())
                .post("/api/a2a/mandates/" + Ap2Wallet.id(open) + "/use");
        assertEquals("insufficient_budget", direct.path("error"), direct::asPrettyString);

        assertEquals(1, noncesTaken(open), "only the closed mandate that paid keeps its nonce");
        assertSpent(open, PRICE);
    }

    @Test
    void theClosedMandatesInstrumentMustBeThisX402Payment() {
        String open = rootMandate();
        ObjectNode card = Ap2Wallet.closedMandate(1);
        instrument(card).put("id", "visa-4242").put("type", "CARD");
        assertRefused(buy(Ap2Wallet.chain(open,
                agent.close(open, card, aud(), UUID.randomUUID().toString()))), "binding_mismatch");
        ObjectNode elsewhere = Ap2Wallet.closedMandate(1);
        instrument(elsewhere).put("payee_address", "0x000000000000000000000000000000000000dEaD");
        assertRefused(buy(Ap2Wallet.chain(open, agent.close(open, elsewhere, aud(),
                UUID.randomUUID().toString()))), "binding_mismatch");

        String payTo = PaidTasks.requirement(client.ask("payTo " + UUID.randomUUID(), null))
                .get("payTo").textValue();
        ObjectNode here = Ap2Wallet.closedMandate(1);
        instrument(here).put("payee_address", payTo);
        JsonPath done = buy(Ap2Wallet.chain(open,
                agent.close(open, here, aud(), UUID.randomUUID().toString())));
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertSpent(open, PRICE);
    }

    @Test
    void anOpenMandatesAllowedInstrumentsBindItsClosedMandatesAndItsChildren() {
        ObjectNode content = Ap2Wallet.openMandate(agent, "1.00", List.of("echo-paid"), 3600);
        ((ArrayNode) content.get("constraints")).addObject()
                .put("type", "payment.allowed_payment_instruments").putArray("allowed")
                .addObject().put("id", "x402-base-sepolia-usdc").put("type", "x402");
        String open = issuer.issue(content);
        register(open).then().statusCode(201);

        assertRefused(buy(Ap2Wallet.chain(open, closed(agent, open, 1))), "instrument_not_allowed");
        ObjectNode allowed = Ap2Wallet.closedMandate(1);
        instrument(allowed).put("id", "x402-base-sepolia-usdc");
        JsonPath done = buy(Ap2Wallet.chain(open,
                agent.close(open, allowed, aud(), UUID.randomUUID().toString())));
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertSpent(open, PRICE);

        // A child naming no instruments would allow any: wider than its parent.
        Response wider = register(Ap2Wallet.chain(open,
                child(open, new Ap2Wallet(), "0.02", List.of("echo-paid"), 1800)));
        assertEquals("scope_widens_parent", wider.path("error"), wider::asPrettyString);
    }
}
