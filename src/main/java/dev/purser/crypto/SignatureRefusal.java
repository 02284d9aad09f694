package dev.purser.crypto;

/**
 * Why a 65-byte secp256k1 signature was refused (vectors.md §5, x402.md §4 rule 11). All map to
 * x402's {@code invalid_exact_evm_payload_signature} or a mandate's {@code signature_mismatch};
 * the distinction is for logs and error messages.
 */
public enum SignatureRefusal {
    /** Not {@code 0x} hex. */
    MALFORMED_HEX,
    /** Not exactly 65 bytes; the 64-byte EIP-2098 compact form is not used by x402. */
    WRONG_LENGTH,
    /** {@code v} is not 27, 28, 0 or 1. */
    INVALID_V,
    /** {@code r} is zero or at least the curve order n. */
    R_OUT_OF_RANGE,
    /** {@code s} is zero or at least n. */
    S_OUT_OF_RANGE,
    /**
     * {@code s > n/2}: the malleated twin of a valid signature. It recovers the same signer, but
     * USDC reverts on it, and accepting it would give one document two valid encodings.
     */
    HIGH_S,
    /** No public key recovers from these values for this digest. */
    NOT_RECOVERABLE
}
