package dev.purser.crypto;

import java.nio.charset.StandardCharsets;
import org.web3j.crypto.Hash;

/**
 * Keccak-256 as Ethereum uses it: the original Keccak padding, not NIST SHA3-256, which differs
 * in one padding byte and so in every output.
 */
public final class Keccak256 {

    private Keccak256() {
    }

    public static Bytes32 hash(byte[] input) {
        return new Bytes32(Hash.sha3(input));
    }

    /** Hash of the UTF-8 bytes of {@code text}, as EIP-712 hashes {@code string} members. */
    public static Bytes32 hash(String text) {
        return hash(text.getBytes(StandardCharsets.UTF_8));
    }
}
