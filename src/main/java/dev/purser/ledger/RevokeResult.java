package dev.purser.ledger;

/** The outcome of {@link Envelopes#revoke}. */
public sealed interface RevokeResult permits RevokeResult.Revoked, Refused {

    /** @param envelope the envelope after the revocation (and its children's) */
    record Revoked(Envelope envelope) implements RevokeResult {
    }
}
