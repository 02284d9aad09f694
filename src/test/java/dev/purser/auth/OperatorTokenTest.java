package dev.purser.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokenTest {

    private static AuthConfig config(Path dir, String override) {
        return new AuthConfig() {
            @Override
            public AuthPolicy policy() {
                return AuthPolicy.OPTIONAL;
            }

            @Override
            public Optional<String> operatorToken() {
                return Optional.ofNullable(override);
            }

            @Override
            public String dataDir() {
                return dir.toString();
            }
        };
    }

    @Test
    void theFirstStartGeneratesAPrivateTokenFileThatLaterStartsReuse(@TempDir Path dir) throws IOException {
        OperatorToken first = new OperatorToken(config(dir, null));
        Path file = dir.resolve(OperatorToken.FILE_NAME);
        String token = Files.readString(file).strip();
        assertEquals(32, Base64.getUrlDecoder().decode(token).length);
        assertFalse(token.contains("="), "unpadded base64url");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(first.matches(token));
        assertFalse(first.matches(token + "x"));
        assertFalse(first.matches(null));
        assertTrue(new OperatorToken(config(dir, null)).matches(token), "the same file is read again");
    }

    @Test
    void theEnvironmentOverridesTheFile(@TempDir Path dir) {
        OperatorToken t = new OperatorToken(config(dir, "from-env"));
        assertTrue(t.matches("from-env"));
        assertFalse(Files.exists(dir.resolve(OperatorToken.FILE_NAME)));
    }
}
