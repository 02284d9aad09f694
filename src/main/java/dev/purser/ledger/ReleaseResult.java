package dev.purser.ledger;

/** The outcome of {@link Envelopes#release} and {@link Envelopes#markSettlementUnknown}. */
public sealed interface ReleaseResult permits ReleaseResult.Done, Refused {

    /** The reservation is in the asked state (now, or already before: the call is idempotent). */
    record Done(Reservation reservation) implements ReleaseResult {
    }
}
