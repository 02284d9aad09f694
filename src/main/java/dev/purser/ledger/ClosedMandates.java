package dev.purser.ledger;

import dev.purser.crypto.Bytes32;

/**
 * AP2 closed payment mandates presented as direct draws ({@code {"ap2": "<open>~~<closed>"}} at
 * {@code POST /api/a2a/mandates/{id}/use}): the agent of an AP2 mandate holds a P-256 key, so it
 * draws by signing a closed mandate ({@code kb+sd-jwt}) rather than an EIP-712 {@code Draw}.
 * The mandate package verifies the chain; the ledger then draws what it grants.
 */
public interface ClosedMandates {

    /** What a presented chain grants. */
    sealed interface Verdict permits Accepted, Malformed, Rejected {
    }

    /**
     * @param amount atomic units of the envelope's asset
     * @param key the draw's idempotency key: the same closed mandate again draws nothing more
     * @param memo what the draw was for (the closed mandate's {@code transaction_id})
     */
    record Accepted(long amount, Bytes32 key, String memo) implements Verdict {
    }

    /** Not a chain this endpoint can read (400). */
    record Malformed(String field, String message) implements Verdict {
    }

    /** Well formed, not granted. */
    record Rejected(Refusal reason, String message) implements Verdict {
    }

    Verdict verify(Bytes32 mandateId, String chain);

    /**
     * The accepted closed mandate with draw key {@code key} was refused by the ledger before it
     * drew anything (budget, guards): its single-use nonce is given back.
     */
    void release(Bytes32 key);
}
