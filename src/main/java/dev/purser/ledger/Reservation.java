package dev.purser.ledger;

import dev.purser.crypto.Bytes32;
import java.time.Instant;

/**
 * A pending draw: {@code amount} is held on the envelope (counted in {@code reserved}) until it is
 * captured, released, or expires. Resolve it exactly once with {@link Envelopes#capture} or
 * {@link Envelopes#release}; before asking a facilitator to settle, mark it with
 * {@link Envelopes#markSettlementUnknown} so the sweeper leaves it for reconciliation.
 *
 * @param id the ledger's own id of the reservation
 * @param envelopeId the envelope it holds budget on
 * @param idempotencyKey unique per envelope
 * @param amount the worst-case amount held, atomic units
 * @param expiresAt when the sweeper may release it
 */
public record Reservation(long id, Bytes32 envelopeId, Bytes32 idempotencyKey, long amount,
        Instant expiresAt) {
}
