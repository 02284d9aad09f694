package dev.purser.secrets;

import dev.purser.crypto.SecretFile;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Seals and opens the values of {@link SealedColumn}s with the instance's secrets key. A value
 * without the sealed prefix is one written before sealing existed (until the start-up sweep
 * reaches it, or by an older instance during an upgrade) and is read as it is.
 */
@Startup
@ApplicationScoped
public class ColumnSecrets {

    public static final String FILE_NAME = "secrets-key";
    private static final Logger LOG = Logger.getLogger(ColumnSecrets.class);

    private final SecretBox box;

    public ColumnSecrets(SecretsConfig config) {
        this.box = new SecretBox(config.secretsKey().filter(k -> !k.isBlank())
                .map(k -> decode(k.strip(), "PURSER_SECRETS_KEY"))
                .orElseGet(() -> fromFile(config)));
    }

    /** {@code plaintext} sealed for {@code column} of the row keyed by {@code key}; null stays. */
    public String seal(SealedColumn column, String plaintext, String... key) {
        return plaintext == null ? null : box.seal(plaintext, column.associatedData(List.of(key)));
    }

    /**
     * The plaintext of a stored value; null stays null.
     *
     * @throws IllegalStateException when it is sealed but does not open (another key, another
     *     row, altered), saying which, never the value
     */
    public String open(SealedColumn column, String stored, String... key) {
        if (stored == null || !SecretBox.isSealed(stored)) {
            return stored;
        }
        try {
            return box.open(stored, column.associatedData(List.of(key)));
        } catch (SecretBox.Unopenable e) {
            throw new IllegalStateException(column.table() + "." + column.column() + " of "
                    + String.join("/", key) + ": " + e.getMessage());
        }
    }

    String keyId() {
        return box.keyId();
    }

    String sealFor(SealedColumn column, String plaintext, List<String> key) {
        return box.seal(plaintext, column.associatedData(key));
    }

    private static byte[] fromFile(SecretsConfig config) {
        Path file = Path.of(config.serverKeyDir().orElse(config.dataDir())).resolve(FILE_NAME);
        try {
            String text = SecretFile.readOrCreate(file, ColumnSecrets::generate);
            LOG.infof("secrets key: %s", file.toAbsolutePath());
            return decode(text, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key " + file, e);
        }
    }

    /** 32 bytes from hex or either base64 alphabet; the error names the source, never the text. */
    static byte[] decode(String text, String source) {
        byte[] key;
        try {
            if (text.length() == 2 * SecretBox.KEY_BYTES && text.chars().allMatch(
                    c -> Character.digit(c, 16) >= 0)) {
                key = HexFormat.of().parseHex(text);
            } else {
                String b64 = text.replace('+', '-').replace('/', '_');
                key = Base64.getUrlDecoder().decode(b64.endsWith("=") ? b64.replace("=", "") : b64);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is neither hex nor base64");
        }
        if (key.length != SecretBox.KEY_BYTES) {
            throw new IllegalStateException(source + " must hold 32 bytes (it holds " + key.length
                    + ")");
        }
        return key;
    }

    private static String generate() {
        byte[] b = new byte[SecretBox.KEY_BYTES];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
