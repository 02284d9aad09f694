package dev.purser.ledger;

/** The outcome of {@link Envelopes#reserve}. */
public sealed interface ReserveResult
        permits ReserveResult.Reserved, ReserveResult.AlreadyCaptured, Refused {

    /** The amount is now held on the envelope. */
    record Reserved(Reservation reservation) implements ReserveResult {
    }

    /**
     * The key was used before for the same amount and that draw is complete: nothing new was
     * reserved, and this is its receipt.
     */
    record AlreadyCaptured(Receipt receipt) implements ReserveResult {
    }
}
