package dev.purser.billing;

import static dev.purser.billing.PaidTasks.ERROR;
import static dev.purser.billing.PaidTasks.PRICE;
import static dev.purser.billing.PaidTasks.STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.billing.PaidTasks.Agent;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.JournalEntry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A remote facilitator ({@code PURSER_FACILITATOR_URL}) that moves the money and then hangs past
 * {@code PURSER_SETTLE_TIMEOUT}: the task is left working with its settlement pending, the
 * reservation kept; the client's retry meanwhile changes nothing; the reconciler learns by nonce
 * that it was paid and completes the task — settled once, drawn once. The profile also sets
 * {@code PURSER_REQUIRE_MANDATE=true}.
 */
@QuarkusTest
@TestProfile(SettlementTimeoutTest.Profile.class)
class SettlementTimeoutTest {

    static final String URL_PROPERTY = "purser.test.slow-facilitator";

    /** Starts the facilitator once per JVM, whichever class loader asks first. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            synchronized (System.getProperties()) {
                String url = System.getProperty(URL_PROPERTY);
                if (url == null) {
                    url = SlowFacilitator.start().url();
                    System.setProperty(URL_PROPERTY, url);
                }
                return Map.of("purser.facilitator-url", url, "purser.settle-timeout", "1s",
                        "purser.reconcile-interval", "1s", "purser.require-mandate", "true");
            }
        }
    }

    @Inject
    Envelopes envelopes;

    private final PaidTasks client = new PaidTasks();
    private final SlowFacilitator.Control facilitator =
            new SlowFacilitator.Control(System.getProperty(URL_PROPERTY));

    /** Polls until the task leaves {@code working}; bounded, so a stuck task fails the test. */
    private JsonPath untilSettled(String taskId) throws InterruptedException {
        JsonPath t = client.get(taskId);
        for (int i = 0; i < 600 && "working".equals(t.getString("result.status.state")); i++) {
            TimeUnit.MILLISECONDS.sleep(100);
            t = client.get(taskId);
        }
        return t;
    }

    @Test
    void aSettlementThatTimesOutIsReconciledOnceEvenWhenTheClientRetriesMeanwhile() throws Exception {
        Agent agent = Agent.generate();
        Envelope envelope = PaidTasks.open(envelopes, PaidTasks.spec(agent.address(), 100_000));
        JsonPath asked = client.ask("slow money", envelope.id());
        String id = asked.getString("result.id");
        ObjectNode payment = PaidTasks.signed(PaidTasks.requirement(asked), agent);
        String nonce = payment.at("/payload/authorization/nonce").asText();

        facilitator.hangNextSettle();
        CompletableFuture<JsonPath> first = CompletableFuture.supplyAsync(() -> client.pay(id, payment));
        assertTrue(facilitator.awaitHanging(), "the settle reached the facilitator");

        // The client, unsure, sends the very same payment again while the settle hangs.
        JsonPath retry = client.pay(id, payment);
        assertEquals(id, retry.getString("result.id"));
        assertEquals("working", retry.getString("result.status.state"), retry::prettify);

        JsonPath firstAnswer = first.get(120, TimeUnit.SECONDS);
        assertEquals("working", firstAnswer.getString("result.status.state"), firstAnswer::prettify);
        assertEquals("pending", firstAnswer.getString("result.status.message.metadata.'purser.settlement'"));
        Envelope pending = envelopes.find(envelope.id()).orElseThrow();
        assertEquals(0, pending.spent());
        assertEquals(PRICE, pending.reserved(), "the reservation is kept while the outcome is unknown");

        facilitator.release();
        JsonPath done = untilSettled(id);
        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertEquals("payment-completed", done.getString(STATUS));
        assertEquals(1, PaidTasks.receipts(done).size());
        assertEquals(true, done.getBoolean(PaidTasks.RECEIPTS + "[0].success"));
        assertEquals(1, done.getList("result.artifacts").size());
        assertEquals("slow money", done.getString("result.artifacts[0].parts[0].text"));

        // And once more after the end: the same completed task, nothing new.
        JsonPath late = client.pay(id, payment);
        assertEquals(done.getMap("result.status"), late.getMap("result.status"));

        assertEquals(1, facilitator.settlementsOf(agent.address().lowerHex(), nonce), "settled once");
        Envelope after = envelopes.find(envelope.id()).orElseThrow();
        assertEquals(PRICE, after.spent(), "drawn once");
        assertEquals(0, after.reserved());
        assertEquals(1, PaidTasks.entries(envelopes, envelope.id(), JournalEntry.Type.RESERVE));
        assertEquals(1, PaidTasks.entries(envelopes, envelope.id(), JournalEntry.Type.CAPTURE));
    }

    @Test
    void aFailedSettlementFailsTheTaskAndReleasesTheReservation() {
        Agent agent = Agent.generate();
        facilitator.failSettlementsOf(agent.address().lowerHex());
        Envelope envelope = PaidTasks.open(envelopes, PaidTasks.spec(agent.address(), 100_000));
        JsonPath asked = client.ask("no money", envelope.id());
        JsonPath r = client.pay(asked.getString("result.id"), PaidTasks.signed(PaidTasks.requirement(asked), agent));

        assertEquals("failed", r.getString("result.status.state"), r::prettify);
        assertEquals("payment-failed", r.getString(STATUS));
        assertEquals("SETTLEMENT_FAILED", r.getString(ERROR));
        assertEquals(false, r.getBoolean(PaidTasks.RECEIPTS + "[0].success"));
        Envelope after = envelopes.find(envelope.id()).orElseThrow();
        assertEquals(0, after.spent());
        assertEquals(0, after.reserved());
    }

    @Test
    void withMandatesRequiredAPaymentNamingNoneIsRefusedAndNothingSettles() {
        Agent agent = Agent.generate();
        JsonPath asked = client.ask("no mandate", null);
        ObjectNode payment = PaidTasks.signed(PaidTasks.requirement(asked), agent);
        JsonPath r = client.pay(asked.getString("result.id"), payment);

        assertEquals("failed", r.getString("result.status.state"), r::prettify);
        assertEquals("MANDATE_REFUSED", r.getString(ERROR));
        assertEquals("mandate_required", r.getString(PaidTasks.REASON));
        assertEquals(0, facilitator.settlementsOf(agent.address().lowerHex(),
                payment.at("/payload/authorization/nonce").asText()));
        assertNull(r.get("result.artifacts"), "nothing ran");
    }
}
