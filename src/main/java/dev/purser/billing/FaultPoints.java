package dev.purser.billing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Crash tests' kill switch (STYLE: fault points wrap the paid flow's steps): when
 * {@code PURSER_FAULT_POINT} names a point the flow reaches, the process halts there at once — no
 * shutdown hook, no flush — as a kill -9 would stop it. Unset, as in production, it does nothing.
 */
@ApplicationScoped
class FaultPoints {

    private static final Logger LOG = Logger.getLogger(FaultPoints.class);

    private final Optional<String> armed;

    FaultPoints(BillingConfig config) {
        this.armed = config.faultPoint().filter(s -> !s.isBlank());
        armed.ifPresent(p -> LOG.warnf("fault point %s is armed: this process will halt there", p));
    }

    void reach(String point) {
        if (armed.isPresent() && armed.get().equals(point)) {
            LOG.errorf("fault point %s reached: halting", point);
            Runtime.getRuntime().halt(137);
        }
    }
}
