package dev.purser.ledger;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Releases reservations past their TTL, every {@code PURSER_SWEEP_INTERVAL}, on every instance:
 * each release is conditional on the row still being pending and due, so instances sweeping at
 * once never release one twice. Reservations whose settlement outcome is unknown are left for
 * reconciliation. Expired child envelopes give their unspent budget back to their parents.
 */
@ApplicationScoped
class ReservationSweeper {

    private static final Logger LOG = Logger.getLogger(ReservationSweeper.class);

    /** Per transaction batch; a full batch is followed at once by the next. */
    private static final int BATCH = 200;

    private final Envelopes envelopes;

    ReservationSweeper(Envelopes envelopes) {
        this.envelopes = envelopes;
    }

    @Scheduled(every = "${purser.sweep-interval:3s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int released;
            int total = 0;
            do {
                released = envelopes.sweepExpired(BATCH);
                total += released;
            } while (released == BATCH);
            if (total > 0) {
                LOG.infof("Released %d expired reservations", total);
            }
            int children = envelopes.returnExpiredChildren(BATCH);
            if (children > 0) {
                LOG.infof("Returned the rest of %d expired child envelopes to their parents",
                        children);
            }
        } catch (RuntimeException e) {
            // The next run tries again; nothing was half-done (each release is a transaction).
            LOG.warn("Sweeping expired reservations failed", e);
        }
    }
}
