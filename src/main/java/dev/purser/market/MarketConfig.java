package dev.purser.market;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** What Purser offers: its own skills, and the remote providers it resells (DESIGN §9). */
@ConfigMapping(prefix = "purser")
public interface MarketConfig {

    /** {@code PURSER_DEMO_SKILLS}: list the built-in skills {@code echo} and {@code echo-paid}. */
    @WithName("demo-skills")
    @WithDefault("true")
    boolean demoSkills();

    /** {@code PURSER_CARD_DIR}: the card template folder; the packaged copy when absent. */
    @WithName("card-dir")
    @WithDefault("agent-card")
    String cardDir();

    /**
     * {@code PURSER_PROVIDERS_FILE}: a JSON array of provider registration bodies, applied at start
     * (idempotently: the same card URL updates its provider).
     */
    @WithName("providers-file")
    Optional<String> providersFile();

    /**
     * {@code PURSER_MODELS_FILE}: the pricing file of model upstreams (DESIGN §11), {@code
     * {"upstreams": [<registration body>...]}} or a bare array of them, applied at start
     * (idempotently: the same base URL updates its upstream).
     */
    @WithName("models-file")
    Optional<String> modelsFile();

    /** Remote providers, routing and the circuit breaker. */
    Market market();

    /** Model upstreams (DESIGN §11). */
    Models models();

    interface Models {

        /**
         * {@code PURSER_MODELS_DEFAULT_MAX_OUTPUT}: the output bound, in tokens, of a model whose
         * upstream registration gave no {@code maxOutput} (a call without {@code max_tokens} is
         * reserved for this many output tokens).
         */
        @WithName("default-max-output")
        @WithDefault("4096")
        long defaultMaxOutput();
    }

    interface Market {

        /** {@code PURSER_MARKET_TIMEOUT}: connect and read timeout of fetching a provider's card. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * {@code PURSER_MARKET_ALLOW_PRIVATE}: allow card and interface URLs on loopback, private
         * and link-local addresses (the push webhook rule); tests and local setups turn it on.
         */
        @WithName("allow-private")
        @WithDefault("false")
        boolean allowPrivate();

        /** {@code PURSER_MARKET_REFRESH}: how often every provider's card is read again. */
        @WithDefault("10m")
        Duration refresh();

        /**
         * {@code PURSER_MARKET_BREAKER_FAILURES}: failed attempts in a row that mark an offer
         * {@code down}.
         */
        @WithName("breaker-failures")
        @WithDefault("3")
        int breakerFailures();

        /**
         * {@code PURSER_MARKET_BREAKER_COOLOFF}: how long a {@code down} offer is skipped; then one
         * caller may probe it (half-open): a success closes the breaker, a failure opens it again.
         */
        @WithName("breaker-cooloff")
        @WithDefault("30s")
        Duration breakerCooloff();

        /**
         * {@code PURSER_MARKET_WINDOW}: how many of an offer's latest attempts its p50 latency and
         * success rate are computed over (attempts older than {@code PURSER_MARKET_WINDOW_AGE} drop
         * out too).
         */
        @WithDefault("50")
        int window();

        /** {@code PURSER_MARKET_WINDOW_AGE}: the oldest attempt the statistics still count. */
        @WithName("window-age")
        @WithDefault("1h")
        Duration windowAge();

        /**
         * {@code PURSER_MARKET_VERSION_CHECK}: how long an instance trusts its copy of the providers
         * before it checks the database for changes made by any instance.
         */
        @WithName("version-check")
        @WithDefault("2s")
        Duration versionCheck();
    }
}
