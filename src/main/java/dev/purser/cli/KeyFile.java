package dev.purser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Es256;
import dev.purser.crypto.P256Key;
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
 * wallets export it; or, for AP2, a P-256 private JWK on one line. Created readable by its owner only, and never overwritten: losing a key
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
        writeNew(path, hex + "\n");
        return key;
    }

    /**
     * Generates an AP2 (P-256) key into a new file with mode 0600, as a private JWK.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists (checked atomically)
     */
    static P256Key createP256(Path path, SecureRandom random) throws IOException {
        P256Key key = P256Key.generate(random);
        writeNew(path, key.privateJwk().toString() + "\n");
        return key;
    }

    /** Whether {@code path} holds a JWK (an AP2 key) rather than a hex secp256k1 key. */
    static boolean isJwk(Path path) throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8).strip().startsWith("{");
    }

    /** @throws IllegalArgumentException if the file does not hold a P-256 private JWK */
    static P256Key readP256(Path path) throws IOException {
        try {
            return P256Key.fromJwk(Output.JSON.readTree(path.toFile()));
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof java.nio.file.NoSuchFileException) {
                throw e;
            }
            // Never echo the file's content: it is a secret, even when malformed.
            throw new IllegalArgumentException(path + " does not hold a P-256 private JWK"
                    + " (kty EC, crv P-256, x, y, d)" + (e instanceof IllegalArgumentException
                            ? ": " + e.getMessage() : ""));
        }
    }

    /**
     * A P-256 public key from a JWK file, private or public (an agent hands out its public
     * JWK; {@code d}, if present, is ignored).
     */
    static ObjectNode readP256Public(Path path) throws IOException {
        JsonNode jwk;
        try {
            jwk = Output.JSON.readTree(path.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(path + " is not a JWK (JSON)");
        }
        if (Es256.publicKey(jwk).isEmpty()) {
            throw new IllegalArgumentException(path + " does not hold a P-256 JWK (kty EC, crv"
                    + " P-256, x, y on the curve)");
        }
        return Output.JSON.createObjectNode().put("kty", "EC").put("crv", "P-256")
                .put("x", jwk.get("x").textValue()).put("y", jwk.get("y").textValue());
    }

    private static void writeNew(Path path, String text) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Created with the mode, not chmod-ed after: no window in which others can read it.
            Files.createFile(path, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(path);
        }
        Files.writeString(path, text, StandardCharsets.US_ASCII);
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
