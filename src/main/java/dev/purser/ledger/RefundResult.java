package dev.purser.ledger;

import dev.purser.crypto.Bytes32;

/** The outcome of {@link Envelopes#refund}. */
public sealed interface RefundResult permits RefundResult.Refunded, Refused {

    /** The refund is posted (now, or before under the same refund key). */
    record Refunded(Bytes32 envelopeId, Bytes32 drawKey, Bytes32 refundKey, long amount)
            implements RefundResult {
    }
}
