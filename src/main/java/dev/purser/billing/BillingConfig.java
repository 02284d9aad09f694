package dev.purser.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
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

    /**
     * {@code PURSER_REQUIRE_MANDATE}: a payment must name its envelope in
     * {@code purser.mandate_id}; off, a payment without one is taken as plain x402 (DESIGN §8).
     */
    @WithName("require-mandate")
    @WithDefault("false")
    boolean requireMandate();

    /**
     * {@code PURSER_SETTLE_TIMEOUT}: how long a remote facilitator's settle may take before its
     * outcome counts as unknown (the payment then waits for the reconciler).
     */
    @WithName("settle-timeout")
    @WithDefault("30s")
    Duration settleTimeout();

    /** {@code PURSER_RECONCILE_INTERVAL}: how often pending settlements are looked up again. */
    @WithName("reconcile-interval")
    @WithDefault("10s")
    String reconcileInterval();

    /**
     * {@code PURSER_WORK_STALE}: how long a verified payment's work may run before settlement
     * starts. Past it the reconciler takes the instance for dead: work it had stored is settled,
     * work it had not is failed with nothing charged.
     */
    @WithName("work-stale")
    @WithDefault("10m")
    Duration workStale();

    /**
     * {@code PURSER_SETTLING_STALE}: how long a payment may stay settling before the reconciler
     * takes its instance for dead mid-settle and asks the facilitator itself (never less than twice
     * {@code PURSER_SETTLE_TIMEOUT}; asking again cannot pay twice, an EIP-3009 nonce moves money
     * once). The default leaves room for on-chain receipt waits.
     */
    @WithName("settling-stale")
    @WithDefault("5m")
    Duration settlingStale();

    /**
     * {@code PURSER_FAULT_POINT}, for crash tests only: the paid-flow point at which the process
     * halts at once, as a kill -9 would stop it: {@code after-reserve}, {@code after-verify},
     * {@code after-work} (the work is stored, the reservation marked settlement-unknown, the
     * payment not yet settling), {@code during-settle}, {@code after-settle}. Any other value stops
     * the start. Unset in production.
     */
    @WithName("fault-point")
    Optional<String> faultPoint();
}
