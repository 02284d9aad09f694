package dev.purser.market;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the recent attempts at one offer say (DESIGN §9): p50 latency and success rate over the
 * window, and its circuit breaker. {@code down}: {@code k} failures in a row (the breaker is open;
 * after the cool-off one probe is let through, half-open). {@code degraded}: the last attempt
 * failed, or under 90 % of the window succeeded. {@code ok}: otherwise, and before any attempt.
 *
 * @param attempts attempts in the window
 * @param completed of which completed
 * @param p50Ms median duration of the completed ones; empty before any
 * @param failures failed attempts in a row, now
 * @param downUntil when the open breaker lets a probe through
 */
public record OfferHealth(int attempts, int completed, OptionalLong p50Ms, int failures,
        Optional<Instant> downUntil) {

    public static final OfferHealth UNTRIED = new OfferHealth(0, 0, OptionalLong.empty(), 0,
            Optional.empty());
    private static final double DEGRADED_BELOW = 0.9;

    /** The state the listing shows. */
    public enum Status {
        OK, DEGRADED, DOWN;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Completed / attempts in the window; empty before any attempt. */
    public Optional<Double> successRate() {
        return attempts == 0 ? Optional.empty() : Optional.of((double) completed / attempts);
    }

    public Status status(int breakerFailures) {
        if (failures >= breakerFailures) {
            return Status.DOWN;
        }
        if (failures > 0 || successRate().map(r -> r < DEGRADED_BELOW).orElse(false)) {
            return Status.DEGRADED;
        }
        return Status.OK;
    }

    /** Open breaker whose cool-off has passed: one probe may go through. */
    public boolean halfOpen(int breakerFailures, Instant now) {
        return failures >= breakerFailures && downUntil.map(d -> !d.isAfter(now)).orElse(true);
    }
}
