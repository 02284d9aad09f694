package dev.purser.billing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Crash tests' kill switch (STYLE: fault points wrap the paid flow's steps): when
 * {@code PURSER_FAULT_POINT} names a point the flow reaches, the process halts there at once — no
 * shutdown hook, no flush — as a kill -9 would stop it. Unset, as in production, it does nothing.
 * A name that is not one of {@link #POINTS} stops the start, so a typo can never leave a test
 * believing it crashed where it did not.
 */
// Startup: a wrong name stops the start, not the first paid task.
@io.quarkus.runtime.Startup
@ApplicationScoped
class FaultPoints {

    /** The hold is on the envelope; the payment is neither claimed nor verified. */
    static final String AFTER_RESERVE = "after-reserve";
    /** The payment is claimed and verified; the work has not started. */
    static final String AFTER_VERIFY = "after-verify";
    /** The work is stored and the hold kept for settlement; the claim is not yet settling. */
    static final String AFTER_WORK = "after-work";
    /** The claim is settling; the facilitator has not been asked (nothing moved). */
    static final String DURING_SETTLE = "during-settle";
    /** The facilitator settled; the hold is neither captured nor the task completed. */
    static final String AFTER_SETTLE = "after-settle";
    static final List<String> POINTS = List.of(AFTER_RESERVE, AFTER_VERIFY, AFTER_WORK,
            DURING_SETTLE, AFTER_SETTLE);

    private static final Logger LOG = Logger.getLogger(FaultPoints.class);

    private final Optional<String> armed;

    @Inject
    FaultPoints(BillingConfig config) {
        this(config.faultPoint());
    }

    FaultPoints(Optional<String> point) {
        this.armed = point.filter(s -> !s.isBlank());
        armed.filter(p -> !POINTS.contains(p)).ifPresent(p -> {
            throw new IllegalArgumentException("PURSER_FAULT_POINT: " + p
                    + " is not a fault point; one of " + POINTS + " (crash tests only)");
        });
        armed.ifPresent(p -> LOG.warnf("fault point %s is armed: this process will halt there", p));
    }

    void reach(String point) {
        if (armed.isPresent() && armed.get().equals(point)) {
            LOG.errorf("fault point %s reached: halting", point);
            Runtime.getRuntime().halt(137);
        }
    }
}
