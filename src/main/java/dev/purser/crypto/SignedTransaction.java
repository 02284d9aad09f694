package dev.purser.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A signed transaction, ready for {@code eth_sendRawTransaction}. The hash is keccak-256 of the
 * raw bytes, which is the id the chain gives it: known before sending, so it can be recorded
 * first and the same transaction (never a new one) broadcast again after a crash.
 *
 * @param hash the transaction hash
 * @param raw the signed, encoded transaction; copied in and out
 */
public record SignedTransaction(Bytes32 hash, byte[] raw) {

    public SignedTransaction {
        Objects.requireNonNull(hash, "hash");
        raw = Objects.requireNonNull(raw, "raw").clone();
        if (!hash.equals(Keccak256.hash(raw))) {
            throw new IllegalArgumentException("hash is not keccak-256 of raw");
        }
    }

    /** From recorded {@code 0x} hex (the hash is recomputed, so it cannot disagree). */
    public static SignedTransaction fromHex(String rawHex) {
        byte[] raw = Hex.decode(rawHex);
        return new SignedTransaction(Keccak256.hash(raw), raw);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public String rawHex() {
        return Hex.encode(raw);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedTransaction t && Arrays.equals(raw, t.raw);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "SignedTransaction[" + hash + "]";
    }
}
