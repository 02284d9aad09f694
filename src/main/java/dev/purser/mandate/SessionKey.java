package dev.purser.mandate;

import dev.purser.crypto.Address;
import java.time.Instant;

/**
 * A live session key: who it speaks for (DESIGN §11).
 *
 * @param id the key's public id, the {@code {keyId}} that revokes it
 * @param mandateId the envelope it draws on, 0x + 64 lower-case hex, the form
 *     {@code billing.Purchase.mandateId} takes
 * @param agent the envelope's agent as the ledger keys it (an AP2 key's alias): the payer the
 *     paid flow admits
 * @param label the agent's name for the key
 * @param expiresAt when it stops working
 */
public record SessionKey(String id, String mandateId, Address agent, String label,
        Instant expiresAt) {
}
