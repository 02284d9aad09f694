package dev.purser.secrets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/** Where the key that seals stored credentials comes from (README "Secrets at rest"). */
@ConfigMapping(prefix = "purser")
public interface SecretsConfig {

    /**
     * {@code PURSER_SECRETS_KEY}: 32 bytes, base64 (standard or URL alphabet) or 64 hex digits;
     * unset = the content of {@code secrets-key} in the key directory, generated at first start.
     * Instances sharing a database must share it.
     */
    @WithName("secrets-key")
    Optional<String> secretsKey();

    /** {@code PURSER_SERVER_KEY_DIR}: the directory of the generated key file (shared keys). */
    @WithName("server-key-dir")
    Optional<String> serverKeyDir();

    /** {@code PURSER_DATA_DIR}: the key directory when {@code PURSER_SERVER_KEY_DIR} is unset. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();
}
