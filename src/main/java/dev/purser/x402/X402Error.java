package dev.purser.x402;

/**
 * The A2A x402 extension's error codes ({@code x402.payment.error}, x402.md §6.5), plus Purser's
 * two for what the extension has no code for (DESIGN §8).
 */
public enum X402Error {
    INVALID_SIGNATURE,
    EXPIRED_PAYMENT,
    DUPLICATE_NONCE,
    NETWORK_MISMATCH,
    INVALID_AMOUNT,
    INSUFFICIENT_FUNDS,
    SETTLEMENT_FAILED,
    INVALID_PAYEE,
    MANDATE_REFUSED;

    /**
     * The code for a facilitator's reason string ({@code invalidReason} / {@code errorReason},
     * x402.md §4 and §6.5), or {@code fallback} when none fits.
     */
    public static X402Error forReason(String reason, X402Error fallback) {
        String r = reason == null ? "" : reason;
        if (r.contains("insufficient")) {
            return INSUFFICIENT_FUNDS;
        }
        if (r.contains("nonce_already_used")) {
            return DUPLICATE_NONCE;
        }
        if (r.contains("valid_before") || r.contains("valid_after") || r.contains("expired")) {
            return EXPIRED_PAYMENT;
        }
        if (r.contains("network")) {
            return NETWORK_MISMATCH;
        }
        if (r.contains("authorization_value")) {
            return INVALID_AMOUNT;
        }
        if (r.contains("recipient")) {
            return INVALID_PAYEE;
        }
        if (r.contains("signature") || r.contains("eip712") || r.contains("token_name")
                || r.contains("token_version") || r.contains("smart_wallet")) {
            return INVALID_SIGNATURE;
        }
        return fallback;
    }
}
