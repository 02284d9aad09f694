package dev.purser.mandate;

import dev.purser.crypto.Bytes32;
import java.time.Instant;

/**
 * A verified session key request: the mandate's agent signed
 * {@code SessionKey(bytes32 mandate,string label,uint64 expiresAt,bytes32 nonce)} in the Purser
 * Mandate domain, or, for an AP2 mandate, its {@code cnf} key signed the same members as an
 * ES256 JWS. The nonce makes the document single-use: it creates one key, and revokes it.
 *
 * @param mandateId the mandate the key draws on
 * @param label the agent's name for the key
 * @param expiresAt when the key stops working
 * @param nonce the agent's 32 bytes of uniqueness, one key per nonce and mandate
 * @param path where the members were in the body ({@code key} or {@code jws}), to name a field
 */
record SessionKeyRequest(Bytes32 mandateId, String label, Instant expiresAt, Bytes32 nonce,
        String path) {
}
