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
    MANDATE_REFUSED
}
