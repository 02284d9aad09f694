package dev.purser.mandate;

import dev.purser.crypto.Bytes32;
import java.time.Instant;

/**
 * A verified revocation: the mandate's principal signed
 * {@code RevokeMandate(bytes32 mandateId,uint64 revokedAt)} in the Purser Mandate domain, or, for
 * an AP2 mandate, its issuer key signed the same two fields as an ES256 JWS.
 * Applying it twice is harmless, so it needs no nonce: the ledger revokes once and answers the
 * same envelope again.
 *
 * @param mandateId the revoked mandate (its children go with it)
 * @param revokedAt when the principal says it revoked
 * @param signer the principal
 * @param proof what the principal signed, to keep: the canonical EIP-712 signature (hex) or the
 *     compact JWS
 */
public record Revocation(Bytes32 mandateId, Instant revokedAt, Party signer, String proof) {
}
