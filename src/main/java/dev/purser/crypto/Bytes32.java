package dev.purser.crypto;

import java.util.Arrays;

/**
 * Exactly 32 bytes: a keccak-256 or SHA-256 hash, an EIP-712 digest (Purser's mandate id), a
 * bytes32 nonce or idempotency key. A type of its own so that a hash cannot be confused with
 * arbitrary bytes, and so that equality compares contents, which a plain array does not.
 *
 * @param bytes the 32 bytes; copied in and out, so an instance never changes
 */
public record Bytes32(byte[] bytes) {

    public static final Bytes32 ZERO = new Bytes32(new byte[32]);

    public Bytes32 {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException("expected 32 bytes");
        }
        bytes = bytes.clone();
    }

    /** @throws IllegalArgumentException unless {@code text} is {@code 0x} + 64 hex digits */
    public static Bytes32 fromHex(String text) {
        return new Bytes32(Hex.decode(text, 32));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isZero() {
        return Arrays.equals(bytes, ZERO.bytes);
    }

    /** Lower-case {@code 0x} + 64 hex digits. */
    public String hex() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes32 that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
