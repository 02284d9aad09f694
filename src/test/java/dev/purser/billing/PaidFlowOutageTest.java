package dev.purser.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.billing.PaidTasks.Agent;
import dev.purser.db.DatabaseOutage;
import dev.purser.ledger.DrawContext;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.money.Asset;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * No paid work starts without its reservation: while another transaction holds the envelope's
 * row, the reservation waits until PostgreSQL's statement_timeout cancels it (a real database
 * failure, as an outage gives), the flow ends with that failure, classed as an outage (503 or a
 * JSON-RPC retry hint at the edges), the work never ran and nothing was drawn. Once the row is
 * free, the same purchase runs its work once and draws the price once.
 */
@QuarkusTest
class PaidFlowOutageTest {

    @Inject
    PaidFlow flow;

    @Inject
    Envelopes envelopes;

    @Inject
    DataSource db;

    @Test
    void aReservationTheDatabaseCouldNotWriteStartsNoWork() throws Exception {
        Agent agent = Agent.generate();
        Envelope envelope = PaidTasks.open(envelopes, PaidTasks.spec(agent.address(), 1_000_000));
        Purchase purchase = new Purchase("echo-paid", PaidTasks.PRICE, Asset.BASE_SEPOLIA_USDC,
                agent.address(), PaidTasks.randomId(), Optional.of(envelope.id().hex()),
                Optional.empty(), new DrawContext("echo-paid", null, "outage test", null));
        AtomicInteger worked = new AtomicInteger();
        PaidWork work = () -> {
            worked.incrementAndGet();
            return new PaidWork.Done();
        };

        try (Connection holder = db.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "select 1 from envelope where id = ? for update")) {
                lock.setString(1, envelope.id().hex());
                lock.executeQuery().close();
            }
            RuntimeException failure = assertThrows(RuntimeException.class,
                    () -> flow.run(purchase, work, new Listener()));
            assertTrue(DatabaseOutage.is(failure), "an outage: " + failure);
            holder.rollback();
        }
        assertEquals(0, worked.get(), "no work without its reservation");
        Envelope after = envelopes.find(envelope.id()).orElseThrow();
        assertEquals(0, after.reserved());
        assertEquals(0, after.spent());

        assertInstanceOf(PaidOutcome.Completed.class, flow.run(purchase, work, new Listener()));
        assertEquals(1, worked.get());
        assertEquals(PaidTasks.PRICE, envelopes.find(envelope.id()).orElseThrow().spent());
    }

    private static final class Listener implements FlowListener {
        @Override
        public void ended(PaidOutcome outcome) {
        }
    }
}
