package dev.purser.ledger;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.ServerKey;
import dev.purser.crypto.WebhookJws;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs receipts with the server key ({@code server-key.hex} in {@code PURSER_SERVER_KEY_DIR},
 * default {@code PURSER_DATA_DIR}; generated there on first start). The card publishes
 * {@link #address()} as {@code receiptSigner}. The same key signs webhook bodies
 * ({@link WebhookJws}), whose public JWK the card publishes as {@code webhookSigningKey}.
 */
@ApplicationScoped
public class ReceiptSigner {

    private static final Pattern CAIP2 = Pattern.compile("eip155:([1-9][0-9]{0,17})");

    private final ServerKey key;
    private final long chainId;

    public ReceiptSigner(LedgerConfig config) {
        this.key = ServerKey.loadOrCreate(Path.of(config.serverKeyDir().orElse(config.dataDir())));
        this.chainId = chainIdOf(config.network());
    }

    /** The address receipts are signed by: the card's {@code receiptSigner}. */
    public Address address() {
        return key.address();
    }

    /** The {@code X-Purser-Signature} of a webhook body: a detached ES256K JWS, signed now. */
    public String signWebhook(byte[] body) {
        return WebhookJws.sign(key, body, Instant.now().getEpochSecond());
    }

    /** The public JWK webhook signatures verify with: the card's {@code webhookSigningKey}. */
    public Map<String, String> webhookKey() {
        return WebhookJws.publicJwk(key);
    }

    /** The EIP-712 chainId of draws and receipts, from {@code PURSER_NETWORK}. */
    public long chainId() {
        return chainId;
    }

    Receipt sign(Bytes32 mandateId, long amount, Bytes32 idempotencyKey, Bytes32 entryHash,
            long issuedAt) {
        Receipt unsigned = new Receipt(mandateId, amount, idempotencyKey, entryHash, issuedAt,
                key.address(), null);
        String signature = key.sign(Receipt.typedData(unsigned.message(), chainId).digest()).hex();
        return new Receipt(mandateId, amount, idempotencyKey, entryHash, issuedAt, key.address(),
                signature);
    }

    /**
     * {@code base-sepolia} → 84532, {@code base} → 8453, {@code eip155:<n>} → n.
     *
     * @throws IllegalArgumentException for any other name: a misconfiguration, found at start
     */
    static long chainIdOf(String network) {
        switch (network) {
            case "base-sepolia":
                return 84532;
            case "base":
                return 8453;
            default:
                Matcher m = CAIP2.matcher(network);
                if (m.matches()) {
                    return Long.parseLong(m.group(1));
                }
                throw new IllegalArgumentException("PURSER_NETWORK must be base-sepolia, base or "
                        + "eip155:<chain id>, not " + network);
        }
    }
}
