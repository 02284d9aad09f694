package dev.purser.card;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/** How the agent card is shaped and where it says Purser is (DESIGN §8). */
@ConfigMapping(prefix = "purser")
public interface CardConfig {

    /** {@code PURSER_PUBLIC_URL}: the base URL the card advertises; else the request's own. */
    @WithName("public-url")
    Optional<String> publicUrl();

    /** {@code PURSER_CARD_VERSIONS}: {@code both} (default), {@code 1.0} (strict) or {@code 0.3}. */
    @WithName("card-versions")
    @WithDefault("both")
    String cardVersions();

    /**
     * {@code PURSER_EXTENDED_CARD}: declare the authenticated extended card and serve it to
     * authenticated callers (GetExtendedAgentCard); off, the method answers -32004.
     */
    @WithName("extended-card")
    @WithDefault("false")
    boolean extendedCard();

    enum CardVersions {
        BOTH, V1_0, V0_3;

        /** Accepts the spellings of the environment variable: both, 1.0, 0.3. */
        public static CardVersions of(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "both" -> BOTH;
                case "1.0" -> V1_0;
                case "0.3" -> V0_3;
                default -> throw new IllegalArgumentException(
                        "PURSER_CARD_VERSIONS must be both, 1.0 or 0.3, not " + s);
            };
        }
    }
}
