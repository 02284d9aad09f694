package dev.purser.billing;

import static dev.purser.billing.PaidTasks.ERROR;
import static dev.purser.billing.PaidTasks.PRICE;
import static dev.purser.billing.PaidTasks.REASON;
import static dev.purser.billing.PaidTasks.STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.billing.PaidTasks.Agent;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.EnvelopeSpec;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.JournalEntry;
import dev.purser.ledger.Receipt;
import dev.purser.money.Asset;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Paid tasks drawn from a mandate's envelope (DESIGN §3, §8), paid with authorizations signed by
 * viem and settled by the embedded facilitator: the envelope pays exactly the price once, and
 * every refused payment is refused with its code and draws nothing.
 */
@QuarkusTest
class MandatePaidTaskTest {

    @Inject
    Envelopes envelopes;

    @Inject
    DataSource db;

    private final PaidTasks client = new PaidTasks();

    /** An agent with an envelope of {@code budget}, and a task asking it for payment. */
    private record Setup(Agent agent, Envelope envelope, JsonPath asked) {
        String taskId() {
            return asked.getString("result.id");
        }

        ObjectNode requirement() {
            return PaidTasks.requirement(asked);
        }
    }

    private Setup setup(long budget) {
        Agent agent = Agent.generate();
        Envelope envelope = PaidTasks.open(envelopes, PaidTasks.spec(agent.address(), budget));
        return new Setup(agent, envelope, client.ask("echo for " + agent.address(), envelope.id()));
    }

    private Envelope now(Envelope e) {
        return envelopes.find(e.id()).orElseThrow();
    }

    private long settlementsBy(Address payer) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from x402_settlement where lower(payer) = ?")) {
            ps.setString(1, payer.lowerHex());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Refused with {@code error}, nothing ran, and the envelope holds and spends nothing. */
    private void assertRefused(JsonPath r, String error, Envelope envelope) {
        assertEquals("failed", r.getString("result.status.state"), r::prettify);
        assertEquals("payment-failed", r.getString(STATUS));
        assertEquals(error, r.getString(ERROR), r::prettify);
        assertNull(r.get("result.artifacts"), "no work for a refused payment");
        Envelope after = now(envelope);
        assertEquals(0, after.spent(), "spent");
        assertEquals(0, after.reserved(), "reserved");
        assertEquals(0, PaidTasks.entries(envelopes, envelope.id(), JournalEntry.Type.CAPTURE));
    }

    @Test
    void aViemPaymentWithAMandateCompletesAndTheEnvelopeSpendsExactlyThePrice() throws Exception {
        Setup s = setup(100_000);
        JsonPath done = client.pay(s.taskId(), PaidTasks.signed(s.requirement(), s.agent()));

        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertEquals("payment-completed", done.getString(STATUS));
        assertEquals("echo for " + s.agent().address(), done.getString("result.artifacts[0].parts[0].text"));
        Map<String, Object> settle = done.getMap(PaidTasks.RECEIPTS + "[0]");
        assertEquals(true, settle.get("success"));
        assertEquals(s.agent().address().checksummed(), settle.get("payer"));
        Envelope after = now(s.envelope());
        assertEquals(PRICE, after.spent());
        assertEquals(0, after.reserved());
        assertEquals(100_000 - PRICE, after.remaining());
        // The ledger's receipt for the draw, signed by the server key, is in the final message.
        Receipt receipt = Receipt.fromJson(PaidTasks.JSON.valueToTree(
                done.getMap("result.status.message.metadata.'purser.receipt'")));
        assertEquals(s.envelope().id(), receipt.mandateId());
        assertEquals(PRICE, receipt.amount());
        assertTrue(receipt.verify(envelopes.chainId(), envelopes.receiptSigner()));
        assertEquals(1, settlementsBy(s.agent().address()));
    }

    @Test
    void theSamePaymentSentAgainGetsTheSameCompletedTaskAndNothingIsPaidTwice() throws Exception {
        Setup s = setup(100_000);
        ObjectNode payment = PaidTasks.signed(s.requirement(), s.agent());
        JsonPath first = client.pay(s.taskId(), payment);
        assertEquals("completed", first.getString("result.status.state"), first::prettify);

        JsonPath again = client.pay(s.taskId(), payment);
        assertEquals(s.taskId(), again.getString("result.id"));
        assertEquals("completed", again.getString("result.status.state"), again::prettify);
        assertEquals(first.getMap("result.status"), again.getMap("result.status"));
        assertEquals(first.getList("result.artifacts"), again.getList("result.artifacts"));
        Envelope after = now(s.envelope());
        assertEquals(PRICE, after.spent());
        assertEquals(0, after.reserved());
        assertEquals(1, PaidTasks.entries(envelopes, s.envelope().id(), JournalEntry.Type.RESERVE));
        assertEquals(1, PaidTasks.entries(envelopes, s.envelope().id(), JournalEntry.Type.CAPTURE));
        assertEquals(1, settlementsBy(s.agent().address()));
    }

    @Test
    void theSamePaymentSentSeveralTimesAtOnceIsTakenOnce() throws Exception {
        Setup s = setup(100_000);
        ObjectNode payment = PaidTasks.signed(s.requirement(), s.agent());
        List<java.util.concurrent.CompletableFuture<JsonPath>> sends = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(4);
        for (int i = 0; i < 4; i++) {
            sends.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return client.pay(s.taskId(), payment);
            }, senders));
        }
        senders.shutdown();
        for (var send : sends) {
            JsonPath r = send.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(s.taskId(), r.getString("result.id"), r::prettify);
            String state = r.getString("result.status.state");
            // each answer is this payment's task as it stood: taken and working, or done
            assertTrue(state.equals("completed") || state.equals("working"), r::prettify);
        }
        JsonPath done = client.get(s.taskId());
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertEquals(1, done.getList("result.artifacts").size());
        Envelope after = now(s.envelope());
        assertEquals(PRICE, after.spent());
        assertEquals(0, after.reserved());
        assertEquals(1, PaidTasks.entries(envelopes, s.envelope().id(), JournalEntry.Type.CAPTURE));
        assertEquals(1, settlementsBy(s.agent().address()));
    }

    @Test
    void theSameRefusedPaymentSentAgainGetsTheSameFailure() {
        Setup s = setup(100_000);
        ObjectNode lowered = s.requirement();
        lowered.put("amount", "9999");
        ObjectNode payment = PaidTasks.signed(lowered, s.agent());
        JsonPath first = client.pay(s.taskId(), payment);
        assertRefused(first, "INVALID_AMOUNT", s.envelope());

        JsonPath again = client.pay(s.taskId(), payment);
        assertEquals(first.getMap("result.status"), again.getMap("result.status"));
        assertRefused(again, "INVALID_AMOUNT", s.envelope());
        assertEquals(1, PaidTasks.entries(envelopes, s.envelope().id(), JournalEntry.Type.RESERVE),
                "the resubmission reserved nothing");
    }

    @Test
    void aReplayedNonceIsRefusedAndDrawsNothingMore() {
        Setup s = setup(100_000);
        ObjectNode payment = PaidTasks.signed(s.requirement(), s.agent());
        assertEquals("completed", client.pay(s.taskId(), payment).getString("result.status.state"));

        JsonPath second = client.ask("again", s.envelope().id());
        JsonPath replay = client.pay(second.getString("result.id"), payment);
        assertEquals("failed", replay.getString("result.status.state"), replay::prettify);
        assertEquals("DUPLICATE_NONCE", replay.getString(ERROR));
        assertNull(replay.get("result.artifacts"));
        Envelope after = now(s.envelope());
        assertEquals(PRICE, after.spent(), "only the first payment was drawn");
        assertEquals(0, after.reserved());
    }

    @Test
    void aReplayOnAnotherMandateOfTheSameAgentIsRefusedToo() {
        Setup s = setup(100_000);
        ObjectNode payment = PaidTasks.signed(s.requirement(), s.agent());
        assertEquals("completed", client.pay(s.taskId(), payment).getString("result.status.state"));

        Envelope other = PaidTasks.open(envelopes, PaidTasks.spec(s.agent().address(), 100_000));
        JsonPath second = client.ask("again", other.id());
        JsonPath replay = client.pay(second.getString("result.id"), payment);
        assertRefused(replay, "DUPLICATE_NONCE", other);
    }

    @Test
    void aLoweredAmountIsRefused() {
        Setup s = setup(100_000);
        ObjectNode lowered = s.requirement();
        lowered.put("amount", "9999");
        assertRefused(client.pay(s.taskId(), PaidTasks.signed(lowered, s.agent())), "INVALID_AMOUNT", s.envelope());
    }

    @Test
    void aLoweredValueUnderTheOfferedRequirementIsRefused() {
        Setup s = setup(100_000);
        JsonPath r = client.pay(s.taskId(), PaidTasks.signed(s.requirement(), s.agent(), Map.of("value", "9999")));
        assertRefused(r, "INVALID_AMOUNT", s.envelope());
    }

    @Test
    void aPaymentToAnotherPayeeIsRefused() {
        Setup s = setup(100_000);
        ObjectNode elsewhere = s.requirement();
        elsewhere.put("payTo", PaidTasks.randomAddress().checksummed());
        JsonPath r = client.pay(s.taskId(), PaidTasks.signed(elsewhere, s.agent()));
        assertRefused(r, "INVALID_PAYEE", s.envelope());
    }

    @Test
    void aPaymentSignedForAnotherNetworkIsRefused() {
        Setup s = setup(100_000);
        ObjectNode mainnet = s.requirement();
        mainnet.put("network", "eip155:8453");
        JsonPath r = client.pay(s.taskId(), PaidTasks.signed(mainnet, s.agent()));
        assertRefused(r, "NETWORK_MISMATCH", s.envelope());
    }

    @Test
    void anExpiredAuthorizationIsRefused() {
        Setup s = setup(100_000);
        long now = Instant.now().getEpochSecond();
        JsonPath r = client.pay(s.taskId(), PaidTasks.signed(s.requirement(), s.agent(),
                Map.of("validAfter", Long.toString(now - 600), "validBefore", Long.toString(now - 1))));
        assertRefused(r, "EXPIRED_PAYMENT", s.envelope());
    }

    @Test
    void aHighSSignatureIsRefused() {
        Setup s = setup(100_000);
        JsonPath r = client.pay(s.taskId(), PaidTasks.signed(s.requirement(), s.agent(), Map.of("highS", true)));
        assertRefused(r, "INVALID_SIGNATURE", s.envelope());
    }

    @Test
    void aPayerWhoIsNotTheMandatesAgentIsRefused() {
        Setup s = setup(100_000);
        JsonPath r = client.pay(s.taskId(), PaidTasks.signed(s.requirement(), Agent.generate()));
        assertRefused(r, "MANDATE_REFUSED", s.envelope());
        assertEquals("signature_mismatch", r.getString(REASON));
    }

    @Test
    void aPaymentOverTheRemainingBudgetIsRefused() {
        Setup s = setup(PRICE - 1);
        JsonPath r = client.pay(s.taskId(), PaidTasks.signed(s.requirement(), s.agent()));
        assertRefused(r, "INSUFFICIENT_FUNDS", s.envelope());
        assertEquals("insufficient_budget", r.getString(REASON));
    }

    @Test
    void aPaymentOverTheMandatesPerTaskCapIsRefused() {
        Agent agent = Agent.generate();
        Envelope envelope = PaidTasks.open(envelopes,
                PaidTasks.spec(agent.address(), 100_000).withPerTaskMax(PRICE - 1));
        JsonPath asked = client.ask("capped", envelope.id());
        JsonPath r = client.pay(asked.getString("result.id"), PaidTasks.signed(PaidTasks.requirement(asked), agent));
        assertRefused(r, "MANDATE_REFUSED", envelope);
        assertEquals("request_too_expensive", r.getString(REASON));
    }

    @Test
    void aSkillOutsideTheMandatesScopeIsRefused() {
        Agent agent = Agent.generate();
        EnvelopeSpec base = PaidTasks.spec(agent.address(), 100_000);
        Envelope envelope = PaidTasks.open(envelopes, new EnvelopeSpec(base.id(), base.principal(),
                base.agent(), base.asset(), base.network(), base.budget(), 0, List.of("summarize"), null,
                null, null, null, EnvelopeSpec.Limits.NONE));
        JsonPath asked = client.ask("out of scope", envelope.id());
        JsonPath r = client.pay(asked.getString("result.id"), PaidTasks.signed(PaidTasks.requirement(asked), agent));
        assertRefused(r, "MANDATE_REFUSED", envelope);
        assertEquals("skill_not_allowed", r.getString(REASON));
    }

    @Test
    void aMandateInAnotherAssetIsRefusedRatherThanPricedWrongly() {
        Agent agent = Agent.generate();
        Envelope envelope = PaidTasks.open(envelopes, EnvelopeSpec.root(PaidTasks.randomId(),
                PaidTasks.randomAddress(), agent.address(), Address.of(Asset.BASE_USDC.address()),
                Asset.BASE_USDC.network(), 100_000).withLimits(EnvelopeSpec.Limits.NONE));
        JsonPath asked = client.ask("mainnet money", envelope.id());
        JsonPath r = client.pay(asked.getString("result.id"), PaidTasks.signed(PaidTasks.requirement(asked), agent));
        assertRefused(r, "MANDATE_REFUSED", envelope);
        assertEquals("asset_mismatch", r.getString(REASON));
    }

    @Test
    void aRevokedMandateIsRefused() {
        Setup s = setup(100_000);
        envelopes.revoke(s.envelope().id(), Instant.now());
        JsonPath r = client.pay(s.taskId(), PaidTasks.signed(s.requirement(), s.agent()));
        assertRefused(r, "MANDATE_REFUSED", s.envelope());
        assertEquals("revoked", r.getString(REASON));
    }

    @Test
    void anUnknownMandateIsRefused() {
        Agent agent = Agent.generate();
        Bytes32 nobody = PaidTasks.randomId();
        JsonPath asked = client.ask("who?", nobody);
        JsonPath r = client.pay(asked.getString("result.id"), PaidTasks.signed(PaidTasks.requirement(asked), agent));
        assertEquals("failed", r.getString("result.status.state"));
        assertEquals("MANDATE_REFUSED", r.getString(ERROR));
        assertEquals("unknown_mandate", r.getString(REASON));
        assertNull(r.get("result.artifacts"));
    }

    @Test
    void theMandateMayBeNamedOnThePaymentTurnInstead() {
        Agent agent = Agent.generate();
        Envelope envelope = PaidTasks.open(envelopes, PaidTasks.spec(agent.address(), 100_000));
        JsonPath asked = client.ask("named later", null);
        ObjectNode payment = PaidTasks.signed(PaidTasks.requirement(asked), agent);
        java.util.Map<String, Object> m = new java.util.HashMap<>(dev.purser.testing.Rpc.v03().textMessage("pay"));
        m.put("taskId", asked.getString("result.id"));
        m.put("metadata", Map.of("x402.payment.status", "payment-submitted",
                "x402.payment.payload", PaidTasks.JSON.convertValue(payment, Map.class),
                PaymentGate.MANDATE_KEY, envelope.id().hex()));
        JsonPath done = dev.purser.testing.Rpc.v03().call("message/send", Map.of("message", m));
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertEquals(PRICE, now(envelope).spent());
        assertNotNull(done.get("result.status.message.metadata.'purser.receipt'"));
    }
}
