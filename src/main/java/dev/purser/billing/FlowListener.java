package dev.purser.billing;

import dev.purser.ledger.Reservation;

/**
 * What the edge that sold a purchase hears from {@link PaidFlow}, in order, so that it can keep
 * its buyer informed in its own wire format and store what must be stored before money moves.
 */
public interface FlowListener {

    /**
     * The price is held on the envelope ({@code held} is null when no envelope pays): an edge
     * whose work can outlive the hold's TTL, or must be reconciled its own way after a crash,
     * takes it from here.
     */
    default void held(Reservation held) {
    }

    /**
     * The payment is verified and the work starts; false when the buyer canceled meanwhile.
     * By default the buyer cannot cancel.
     */
    default boolean verified() {
        return true;
    }

    /** Asked after the work: false when the buyer canceled while it ran. */
    default boolean stillWanted() {
        return true;
    }

    /** The work is done and the money is about to move: store the work now (if any). */
    default void settling() {
    }

    /**
     * The purchase ended (or, for {@link PaidOutcome.Pending}, waits for the reconciler): store
     * that now — the flow records the payment's outcome only after this returns, so a crash in
     * between leaves the reconciler something to finish.
     */
    void ended(PaidOutcome outcome);
}
