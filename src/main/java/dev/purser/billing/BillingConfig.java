package dev.purser.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/** What the paid-task flow needs beyond the x402 settings. */
@ConfigMapping(prefix = "purser")
public interface BillingConfig {

    /** {@code PURSER_DATA_DIR}: where the generated operator key is kept. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();

    /** {@code PURSER_PUBLIC_URL}: names the resource in payment requirements. */
    @WithName("public-url")
    Optional<String> publicUrl();
}
