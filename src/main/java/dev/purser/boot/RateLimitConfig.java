package dev.purser.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The per-client-address limit on the unauthenticated write and quote endpoints. */
@ConfigMapping(prefix = "purser")
public interface RateLimitConfig {

    /**
     * {@code PURSER_REGISTRATION_RATE}: requests per client address, as {@code <n>/<unit>} with
     * unit {@code s}, {@code min} or {@code h} (a burst of n, refilled evenly), or {@code 0} for
     * no limit. Applies separately to mandate registration and to quotes.
     */
    @WithName("registration-rate")
    @WithDefault("30/min")
    String registrationRate();
}
