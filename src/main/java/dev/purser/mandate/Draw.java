package dev.purser.mandate;

import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Signature;
import dev.purser.money.Amount;
import java.time.Instant;
import java.util.Optional;

/**
 * A verified direct draw request (DESIGN §8, {@code POST /api/a2a/mandates/{id}/use}): the agent
 * signed {@code Draw(bytes32 mandateId,uint256 amount,bytes32 idempotencyKey,string memo,
 * uint64 deadline)}, or authenticated with a bearer token instead. Whether the envelope can pay it
 * (per-task cap, remaining budget, idempotency) is the ledger's to decide.
 *
 * @param signature the canonical signature; empty when the agent authenticated by token
 */
public record Draw(Bytes32 mandateId, Amount amount, Bytes32 idempotencyKey, String memo,
        Instant deadline, Optional<Signature> signature) {
}
