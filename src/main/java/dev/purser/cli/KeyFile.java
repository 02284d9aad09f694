package dev.purser.cli;

import dev.purser.crypto.Secp256k1Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A principal's key file: one line, {@code 0x} + 64 hex digits of a secp256k1 private key, as
 * wallets export it. Created readable by its owner only, and never overwritten: losing a key
 * that mandates were issued with loses the power to revoke them.
 */
final class KeyFile {

    private KeyFile() {
    }

    /**
     * Generates a key into a new file with mode 0600.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists (checked atomically)
     */
    static Secp256k1Key create(Path path, SecureRandom random) throws IOException {
        String hex;
        Secp256k1Key key;
        while (true) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            hex = "0x" + HexFormat.of().formatHex(secret);
            try {
                key = Secp256k1Key.fromHex(hex);
                break;
            } catch (IllegalArgumentException outsideTheCurveOrder) {
                // Probability ~2^-128: draw again.
            }
        }
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Created with the mode, not chmod-ed after: no window in which others can read it.
            Files.createFile(path, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(path);
        }
        Files.writeString(path, hex + "\n", StandardCharsets.US_ASCII);
        return key;
    }

    /** @throws IllegalArgumentException if the file does not hold a valid key */
    static Secp256k1Key read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith("0x")) {
            text = "0x" + text;
        }
        try {
            return Secp256k1Key.fromHex(text);
        } catch (IllegalArgumentException e) {
            // Never echo the file's content: it is a secret, even when malformed.
            throw new IllegalArgumentException(path + " does not hold a secp256k1 private key "
                    + "(0x + 64 hex digits)");
        }
    }
}
