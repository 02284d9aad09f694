package dev.purser.mandate;

import dev.purser.crypto.Bytes32;
import dev.purser.money.Amount;

/**
 * What a child mandate is checked against: its parent as registered, and the parent envelope's
 * state as the ledger has it at the moment of registration (read in the same transaction that
 * carves the child's budget out, so that two children cannot both take the same remainder).
 *
 * @param mandate the parent mandate
 * @param remaining the parent envelope's budget − spent − reserved, now
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
