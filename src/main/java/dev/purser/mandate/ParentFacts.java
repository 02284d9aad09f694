package dev.purser.mandate;

import dev.purser.crypto.Bytes32;
import dev.purser.money.Amount;

/**
 * What a child mandate is checked against: its parent as registered, and what the caller knows
 * of the parent envelope's state. {@link MandateRegistry} passes the parent's signed budget and
 * {@code active = true}: what the parent has left now, and whether it is still active, are
 * decided by the ledger in the statement that carves the child out (so that two children cannot
 * both take the same remainder, and a repeat of a registered child still finds its envelope).
 *
 * @param mandate the parent mandate
 * @param remaining the most the child may take, as far as the caller can tell
 * @param active whether the parent envelope is active (not revoked, expired or exhausted)
 * @param depth the parent's depth: 0 for a root, 1 for its child, …
 */
public record ParentFacts(Mandate mandate, Amount remaining, boolean active, int depth) {

    public ParentFacts {
        if (mandate == null || remaining == null || depth < 0) {
            throw new IllegalArgumentException("mandate, remaining and a depth >= 0 are required");
        }
    }

    public Bytes32 id() {
        return mandate.id();
    }
}
