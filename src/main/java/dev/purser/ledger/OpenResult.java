package dev.purser.ledger;

/** The outcome of {@link Envelopes#open}. */
public sealed interface OpenResult permits OpenResult.Opened, Refused {

    /**
     * @param envelope the envelope as it now stands
     * @param created false when it existed already with the same terms (an idempotent repeat)
     */
    record Opened(Envelope envelope, boolean created) implements OpenResult {
    }
}
