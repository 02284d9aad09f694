package dev.purser.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/** Authentication settings. The token's issuer and public key are smallrye-jwt's mp.jwt.* keys. */
@ConfigMapping(prefix = "purser")
public interface AuthConfig {

    /** {@code PURSER_AUTH}: {@code optional} admits anonymous callers, {@code required} does not. */
    @WithName("auth")
    @WithDefault("optional")
    AuthPolicy policy();

    /**
     * {@code PURSER_OPERATOR_TOKEN}: the operator's bearer token; unset = the content of
     * {@code PURSER_DATA_DIR/operator-token}, generated at first start.
     */
    @WithName("operator-token")
    Optional<String> operatorToken();

    /** {@code PURSER_DATA_DIR}: where the generated operator token is kept. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();
}
