package dev.purser.auth;

import dev.purser.crypto.SecretFile;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * The operator's bearer token (DESIGN §9): {@code PURSER_OPERATOR_TOKEN}, else the content of
 * {@code PURSER_DATA_DIR/}{@value #FILE_NAME} (32 random bytes, base64url, mode 0600), generated at
 * first start so that a fresh install has one. Compared in constant time.
 */
@Startup
@ApplicationScoped
public class OperatorToken {

    public static final String FILE_NAME = "operator-token";
    private static final Logger LOG = Logger.getLogger(OperatorToken.class);
    private static final int BYTES = 32;

    private final byte[] token;

    public OperatorToken(AuthConfig config) {
        String value = config.operatorToken().filter(t -> !t.isBlank()).orElseGet(() -> {
            Path file = Path.of(config.dataDir()).resolve(FILE_NAME);
            try {
                String t = SecretFile.readOrCreate(file, OperatorToken::generate);
                LOG.infof("operator token: %s", file.toAbsolutePath());
                return t;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or create the operator token " + file, e);
            }
        });
        this.token = value.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code presented} is the operator token, in time independent of where they differ. */
    public boolean matches(String presented) {
        return presented != null
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String generate() {
        byte[] b = new byte[BYTES];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
