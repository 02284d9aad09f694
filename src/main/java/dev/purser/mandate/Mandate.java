package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.money.Amount;
import dev.purser.money.Asset;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A verified spending mandate, whichever form it came in: what its envelope is opened with. Built
 * only by {@link MandateVerifier}, after its schema, signature, validity window and asset were
 * checked; a child's narrowing is checked separately ({@link Delegation}), because it needs the
 * parent's state, which the ledger holds.
 *
 * @param id the EIP-712 digest (EIP-712 form) or SHA-256 of the SD-JWT as presented, the value
 *     AP2 calls its {@code sd_hash} (SD-JWT form); the envelope id and idempotency key of
 *     registration
 * @param form which form it was signed in
 * @param principal whose money it is, and who signed it (for a child: the parent's agent)
 * @param agent who may draw on it
 * @param asset the token its amounts count
 * @param budget the cap on spent + reserved; for a periodic mandate, per period
 * @param perTaskMax the largest single draw; zero means no per-task cap
 * @param skills the skills it may pay for; empty means any
 * @param notBefore first instant it may be drawn on
 * @param expiresAt first instant it may no longer be drawn on
 * @param parent the parent's id for a child mandate; empty for a root
 * @param nonce the principal's 32 bytes of uniqueness (EIP-712 form only)
 * @param recurrence the budget's renewal period; empty for one budget over its lifetime
 * @param allowedPayees AP2 payee ids draws may pay; empty means any (EIP-712: always empty)
 * @param allowedInstruments AP2 payment instrument ids draws may pay with; empty means any
 *     (EIP-712: always empty)
 * @param document the request body as received and verified, to store and show
 */
public record Mandate(Bytes32 id, MandateForm form, Party principal, Party agent, Asset asset,
        Amount budget, Amount perTaskMax, List<String> skills, Instant notBefore,
        Instant expiresAt, Optional<Bytes32> parent, Optional<Bytes32> nonce,
        Optional<Recurrence> recurrence, List<String> allowedPayees, List<String> allowedInstruments,
        JsonNode document) {

    public Mandate {
        if (id == null || form == null || principal == null || agent == null || asset == null
                || budget == null || perTaskMax == null || notBefore == null
                || expiresAt == null || parent == null || nonce == null || recurrence == null
                || document == null) {
            throw new IllegalArgumentException("every member of a mandate is required");
        }
        skills = List.copyOf(skills);
        allowedPayees = List.copyOf(allowedPayees);
        allowedInstruments = List.copyOf(allowedInstruments);
        document = document.deepCopy();
    }

    public boolean isChild() {
        return parent.isPresent();
    }

    /** Whether the mandate allows a task of {@code skill}: empty skills allow any. */
    public boolean allowsSkill(String skill) {
        return skills.isEmpty() || skills.contains(skill);
    }

    @Override
    public JsonNode document() {
        return document.deepCopy();
    }
}
