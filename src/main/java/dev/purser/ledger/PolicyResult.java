package dev.purser.ledger;

/** The outcome of {@link Envelopes#setPolicy}. */
public sealed interface PolicyResult permits PolicyResult.Set, Refused {

    /** @param envelope the envelope with the policy now in force */
    record Set(Envelope envelope) implements PolicyResult {
    }
}
