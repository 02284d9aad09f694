package dev.purser.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Authentication settings. The token's issuer and public key are smallrye-jwt's mp.jwt.* keys. */
@ConfigMapping(prefix = "purser")
public interface AuthConfig {

    /** {@code PURSER_AUTH}: {@code optional} admits anonymous callers, {@code required} does not. */
    @WithName("auth")
    @WithDefault("optional")
    AuthPolicy policy();
}
