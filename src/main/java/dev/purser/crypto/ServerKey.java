package dev.purser.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The server's own secp256k1 key: it signs receipts (DESIGN §8), and the card publishes its
 * address so that anyone can check them. Kept in one file, {@value #FILE_NAME}, holding
 * {@code 0x} + 64 hex digits, in the data directory, created on first use with permissions 0600
 * where the file system has POSIX permissions.
 */
public final class ServerKey {

    public static final String FILE_NAME = "server-key.hex";

    private final Secp256k1Key key;

    private ServerKey(Secp256k1Key key) {
        this.key = key;
    }

    /**
     * Loads the key from {@code directory}, generating and storing one if there is none yet.
     *
     * @throws UncheckedIOException if the directory cannot be read or written
     * @throws IllegalStateException if the file exists but holds no valid key; it is never
     *     overwritten, since receipts already issued name its address
     */
    public static ServerKey loadOrCreate(Path directory) {
        return loadOrCreate(directory, FILE_NAME);
    }

    /** The same for another key kept beside it (the operator's wallet key, for instance). */
    public static ServerKey loadOrCreate(Path directory, String fileName) {
        Path file = directory.resolve(fileName);
        try {
            return new ServerKey(read(file, SecretFile.readOrCreate(file,
                    () -> Secp256k1Key.generate(new SecureRandom()).privateKeyHex())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the server key from " + file, e);
        }
    }

    public Address address() {
        return key.address();
    }

    /** The public key, x ‖ y (32 bytes each), for {@link WebhookJws#publicJwk}. */
    byte[] publicKey() {
        return key.publicKey();
    }

    /** Signs an EIP-712 digest (for instance a receipt's). */
    public Signature sign(Bytes32 digest) {
        return key.sign(digest);
    }

    /**
     * Signs a transaction sent from this key's address (the operator's wallet paying the gas of a
     * settlement, for instance).
     */
    public SignedTransaction sign(Eip1559Transaction transaction) {
        return key.sign(transaction);
    }

    @Override
    public String toString() {
        return "ServerKey[" + address() + "]";
    }

    private static Secp256k1Key read(Path file, String text) {
        try {
            return Secp256k1Key.fromHex(text);
        } catch (IllegalArgumentException e) {
            // The message of e could quote the secret; say only where the problem is.
            throw new IllegalStateException(file + " does not hold a secp256k1 key "
                    + "(0x + 64 hex digits)");
        }
    }
}
