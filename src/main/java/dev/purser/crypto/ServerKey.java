package dev.purser.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The server's own secp256k1 key: it signs receipts (DESIGN §8), and the card publishes its
 * address so that anyone can check them. Kept in one file, {@value #FILE_NAME}, holding
 * {@code 0x} + 64 hex digits, in the data directory, created on first use with permissions 0600
 * where the file system has POSIX permissions.
 */
public final class ServerKey {

    public static final String FILE_NAME = "server-key.hex";

    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

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
            if (!Files.exists(file)) {
                Files.createDirectories(directory);
                create(file);
            }
            return new ServerKey(read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the server key from " + file, e);
        }
    }

    public Address address() {
        return key.address();
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

    /**
     * Writes a new key so that no reader ever sees a partial file and two instances starting on
     * one directory end up with one key: the key is written to a private temporary file, then
     * linked into place, which fails if another instance got there first; both then read the
     * file that won.
     */
    private static void create(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, ".server-key", ".tmp", attributes);
        try {
            String secret = Secp256k1Key.generate(new SecureRandom()).privateKeyHex() + "\n";
            Files.writeString(temporary, secret, StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                // Another instance created it between our check and now: use theirs.
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(file)) {
                    return;
                }
                // No hard links here (some container file systems): a rename is still atomic.
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Secp256k1Key read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return Secp256k1Key.fromHex(text);
        } catch (IllegalArgumentException e) {
            // The message of e could quote the secret; say only where the problem is.
            throw new IllegalStateException(file + " does not hold a secp256k1 key "
                    + "(0x + 64 hex digits)");
        }
    }
}
