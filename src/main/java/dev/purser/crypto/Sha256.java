package dev.purser.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, for the ledger's hash chain and for SD-JWT disclosure digests. */
public final class Sha256 {

    private Sha256() {
    }

    public static Bytes32 hash(byte[] input) {
        return new Bytes32(digest().digest(input));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's Javadoc), so this is a bug.
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
