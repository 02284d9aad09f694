package dev.purser.billing;

import static dev.purser.billing.PaidTasks.ERROR;
import static dev.purser.billing.PaidTasks.PRICE;
import static dev.purser.billing.PaidTasks.REASON;
import static dev.purser.billing.PaidTasks.STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.billing.PaidTasks.Agent;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.DrawContext;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.ReleaseResult;
import dev.purser.ledger.Reservation;
import dev.purser.ledger.ReserveResult;
import dev.purser.task.TaskService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An instance that stops while a paid task's work runs (payment verified and claimed, amount
 * reserved, task stored working, settlement never started) leaves nothing stuck: past
 * {@code PURSER_WORK_STALE} the reconciler fails the task, returns the reservation and gives
 * the payment up, so a late settle can no longer start. Work still within the limit is left be.
 */
@QuarkusTest
class AbandonedWorkTest {

    @Inject
    Envelopes envelopes;

    @Inject
    TaskPayments payments;

    @Inject
    TaskService tasks;

    @Inject
    PaymentReconciler reconciler;

    @Inject
    DataSource db;

    @Inject
    BillingConfig billing;

    private final PaidTasks client = new PaidTasks();

    @Test
    void workWhoseInstanceStoppedBeforeSettlementFailsItsTaskAndChargesNothing() throws Exception {
        Agent agent = Agent.generate();
        Envelope envelope = PaidTasks.open(envelopes, PaidTasks.spec(agent.address(), 100_000));
        Stopped lost = stoppedMidWork(agent, envelope, "lost work");
        Stopped running = stoppedMidWork(agent, envelope, "still running");
        backdate(lost.key(), billing.workStale().plusMinutes(1));
        assertEquals(2 * PRICE, envelopes.find(envelope.id()).orElseThrow().reserved());

        reconciler.reconcileDue();

        JsonPath failed = client.get(lost.taskId());
        assertEquals("failed", failed.getString("result.status.state"));
        assertEquals("payment-failed", failed.getString(STATUS));
        assertEquals("SETTLEMENT_FAILED", failed.getString(ERROR));
        assertEquals("work_abandoned", failed.getString(REASON));
        assertEquals("failed", payments.find(lost.key()).orElseThrow().status());
        assertFalse(payments.startSettling(lost.key()), "a given-up payment is never settled");

        // The other one is within the limit: untouched, and it may still settle.
        assertEquals("working", client.get(running.taskId()).getString("result.status.state"));
        assertEquals("verified", payments.find(running.key()).orElseThrow().status());
        Envelope after = envelopes.find(envelope.id()).orElseThrow();
        assertEquals(PRICE, after.reserved(), "only the abandoned reservation returned");
        assertEquals(0, after.spent(), "nothing was charged");
        assertTrue(payments.startSettling(running.key()));
    }

    @Test
    void workStoredBeforeItsInstanceStoppedIsSettledAndCapturedByTheReconciler() throws Exception {
        Agent agent = Agent.generate();
        Envelope envelope = PaidTasks.open(envelopes, PaidTasks.spec(agent.address(), 100_000));
        Stopped stored = stopped(agent, envelope, "delivered work", true);
        backdate(stored.key(), billing.workStale().plusMinutes(1));

        reconciler.reconcileDue();

        JsonPath done = client.get(stored.taskId());
        assertEquals("completed", done.getString("result.status.state"), done.prettify());
        assertEquals("payment-completed", done.getString(STATUS));
        assertEquals("settled", payments.find(stored.key()).orElseThrow().status());
        Envelope after = envelopes.find(envelope.id()).orElseThrow();
        assertEquals(PRICE, after.spent(), "the buyer pays for the work it was delivered, once");
        assertEquals(0, after.reserved());

        reconciler.reconcileDue(); // again: nothing more happens
        assertEquals(PRICE, envelopes.find(envelope.id()).orElseThrow().spent());
    }

    private record Stopped(String taskId, TaskPayments.Key key) {
    }

    /** What an instance has done when it stops mid-work, as PaymentGate does it. */
    private Stopped stoppedMidWork(Agent agent, Envelope envelope, String text) {
        return stopped(agent, envelope, text, false);
    }

    /**
     * The state a stopped instance leaves: the payment claimed with its hold, the task working;
     * {@code workStored}: its work stored for settlement and the hold marked settlement-unknown
     * (the paid flow's last act before the claim moves to settling).
     */
    private Stopped stopped(Agent agent, Envelope envelope, String text, boolean workStored) {
        JsonPath asked = client.ask(text, envelope.id());
        String taskId = asked.getString("result.id");
        ObjectNode requirement = PaidTasks.requirement(asked);
        ObjectNode payment = PaidTasks.signed(requirement, agent);
        Bytes32 nonce = Bytes32.fromHex(payment.at("/payload/authorization/nonce").asText());
        Reservation reservation = ((ReserveResult.Reserved) envelopes.reserve(envelope.id(), PRICE,
                nonce, Duration.ofHours(1), DrawContext.NONE)).reservation();
        TaskPayments.Key key = new TaskPayments.Key(84532,
                requirement.get("asset").asText().toLowerCase(Locale.ROOT), agent.address(), nonce);
        assertTrue(payments.claim(key, taskId, "0x01", PRICE, reservation, payment, requirement)
                instanceof TaskPayments.Claimed);
        if (workStored) {
            assertTrue(envelopes.markSettlementUnknown(reservation) instanceof ReleaseResult.Done);
        }
        assertTrue(tasks.resume(taskId, ctx -> {
            ctx.working(workStored ? PaidTaskMessages.settling() : null);
            ctx.continuesLater();
        }));
        assertEquals("working", client.get(taskId).getString("result.status.state"));
        return new Stopped(taskId, key);
    }

    private void backdate(TaskPayments.Key key, Duration by) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update x402_payment set updated_at = now() - ?::interval where nonce = ?")) {
            ps.setString(1, by.toMillis() + " milliseconds");
            ps.setString(2, key.nonce().hex());
            assertEquals(1, ps.executeUpdate());
        }
    }
}
