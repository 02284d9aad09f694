package dev.purser.mandate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/** What an AP2 closed mandate must be addressed to (its {@code aud}), besides the server key. */
@ConfigMapping(prefix = "purser")
public interface Ap2Config {

    /** {@code PURSER_PUBLIC_URL}: the base URL the card advertises; an accepted {@code aud}. */
    @WithName("public-url")
    Optional<String> publicUrl();

    /**
     * {@code PURSER_MANDATE_AUDIENCE}: more {@code aud} values a closed mandate may carry
     * (comma-separated), e.g. the URL a proxy in front of Purser is known by.
     */
    @WithName("mandate.audience")
    Optional<List<String>> audience();
}
