package dev.purser.billing;

import dev.purser.ledger.CaptureResult;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Receipt;
import dev.purser.ledger.Refusal;
import dev.purser.ledger.Refused;
import dev.purser.ledger.Reservation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Step 6 of the paid flow: resolve the hold exactly once — capture the price once the money
 * moved (the ledger signs a receipt), or release it when it did not. Both are idempotent in the
 * ledger, so the reconciler may repeat them after a crash.
 */
@ApplicationScoped
class Capture {

    private static final Logger LOG = Logger.getLogger(Capture.class);

    private final Envelopes envelopes;

    Capture(Envelopes envelopes) {
        this.envelopes = envelopes;
    }

    /**
     * Captures {@code amount} of the hold; a capture refused after the money moved is logged
     * loudly ({@code paymentRef} names the payment). Empty when no envelope was held.
     */
    Optional<Receipt> capture(Reservation held, long amount, String paymentRef) {
        if (held == null) {
            return Optional.empty();
        }
        return switch (envelopes.capture(held, amount)) {
            case CaptureResult.Captured c -> Optional.of(c.receipt());
            case Refused r -> {
                LOG.errorf("payment %s settled but its reservation %d could not be captured: %s",
                        paymentRef, held.id(), r.message());
                yield Optional.empty();
            }
        };
    }

    /** Names who finally did the work on the hold (for the envelope's report), before capture. */
    void attribute(Reservation held, String provider) {
        if (held != null) {
            envelopes.attribute(held, provider);
        }
    }

    /** Gives the hold back: the money did not move. A hold already given back stays so. */
    void release(Reservation held) {
        if (held != null && envelopes.release(held) instanceof Refused r
                && r.reason() != Refusal.RESERVATION_RELEASED) {
            LOG.errorf("could not release reservation %d on %s: %s", held.id(), held.envelopeId(),
                    r.message());
        }
    }
}
