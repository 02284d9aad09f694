package dev.purser.mandate;

import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Signature;
import java.time.Instant;

/**
 * A verified revocation: the mandate's principal signed
 * {@code RevokeMandate(bytes32 mandateId,uint64 revokedAt)} in the Purser Mandate domain.
 * Applying it twice is harmless, so it needs no nonce: the ledger revokes once and answers the
 * same envelope again.
 *
 * @param mandateId the revoked mandate (its children go with it)
 * @param revokedAt when the principal says it revoked
 * @param signer the principal
 * @param signature the canonical signature, to keep as proof
 */
public record Revocation(Bytes32 mandateId, Instant revokedAt, Party signer,
        Signature signature) {
}
