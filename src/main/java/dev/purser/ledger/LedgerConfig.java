package dev.purser.ledger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The ledger's settings (DESIGN §8 "Timing and guards"); each is a {@code PURSER_*} variable. */
@ConfigMapping(prefix = "purser")
public interface LedgerConfig {

    /** {@code PURSER_RESERVATION_TTL}: how long a reservation waits for capture (e.g. 10s). */
    @WithName("reservation-ttl")
    @WithDefault("120s")
    Duration reservationTtl();

    /** {@code PURSER_SWEEP_INTERVAL}: how often the sweeper looks for expired reservations. */
    @WithName("sweep-interval")
    @WithDefault("3s")
    String sweepInterval();

    /**
     * {@code PURSER_NETWORK}: the settlement network, whose chain id is the EIP-712 chainId of
     * draws and receipts: {@code base-sepolia} (84532), {@code base} (8453) or {@code eip155:<n>}.
     */
    @WithName("network")
    @WithDefault("base-sepolia")
    String network();

    /**
     * {@code PURSER_SERVER_KEY_DIR}: where the receipt key ({@code server-key.hex}) is kept;
     * default the data directory. Instances sharing a database should share this key.
     */
    @WithName("server-key-dir")
    Optional<String> serverKeyDir();

    /** {@code PURSER_DATA_DIR}, read here for the default key location. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();

    /**
     * {@code PURSER_SOFT_LIMITS}: the soft-limit thresholds, percent of an envelope's budget
     * spent in a period, each noticed once per period; per envelope overridable.
     */
    @WithName("soft-limits")
    @WithDefault("80,90")
    List<Integer> softLimits();

    /**
     * {@code PURSER_LEDGER_WEBHOOK}: where soft-limit notices go for envelopes that name no
     * webhook of their own; unset = nowhere (they are still recorded, and pushed to the tasks).
     */
    @WithName("ledger-webhook")
    Optional<String> ledgerWebhook();

    Guard guard();

    /** Global guard defaults; each 0 = off, each overridable per envelope. */
    interface Guard {
        /** {@code PURSER_GUARD_RATE}: reservations per minute per agent. */
        @WithDefault("600")
        int rate();

        /** {@code PURSER_GUARD_CONCURRENCY}: pending reservations per agent. */
        @WithDefault("16")
        int concurrency();

        /** {@code PURSER_GUARD_LOOP}: identical requests (envelope, amount, memo) per minute. */
        @WithDefault("20")
        int loop();
    }
}
