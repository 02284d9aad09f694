package dev.purser.billing;

import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Refusal;
import dev.purser.ledger.Reservation;
import dev.purser.ledger.ReserveResult;
import dev.purser.x402.PaymentRefusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Step 2 of the paid flow: reserve the price on the admitted envelope (pending, TigerBeetle's
 * word), keyed by the purchase's idempotency key. The ledger's statement enforces budget, caps
 * and guards; this step only tells apart a refusal, a new hold, and the same payment already
 * held or drawn by another request (which is answered as that request answers).
 */
@ApplicationScoped
class EnvelopeHold {

    sealed interface Result {
    }

    /** Held; {@code reservation} is null when no envelope pays (plain x402). */
    record Held(Reservation reservation) implements Result {
    }

    /**
     * @param keyFree the ledger refused on budget, caps or guards, not on the key: nothing is or
     *     was held under it
     */
    record Refused(PaymentRefusal refusal, boolean keyFree) implements Result {
    }

    /** The same payment is being (or was) handled for this purchase by another request. */
    record Repeat() implements Result {
    }

    /** How long to wait for a concurrent request holding the same key to claim or drop it. */
    private static final int IN_FLIGHT_POLLS = 50;
    private static final long IN_FLIGHT_POLL_MILLIS = 100;

    private final Envelopes envelopes;
    private final TaskPayments payments;

    EnvelopeHold(Envelopes envelopes, TaskPayments payments) {
        this.envelopes = envelopes;
        this.payments = payments;
    }

    Result hold(Purchase p, Optional<Envelope> envelope) {
        if (envelope.isEmpty()) {
            return new Held(null);
        }
        for (int poll = 0; ; poll++) {
            ReserveResult r = envelopes.reserve(envelope.get().id(), p.amount(), p.idempotencyKey(),
                    null, p.what());
            switch (r) {
                case ReserveResult.Reserved reserved -> {
                    return new Held(reserved.reservation());
                }
                case ReserveResult.AlreadyCaptured done -> {
                    return samePayment(p) ? new Repeat()
                            : new Refused(PaymentRefusals.duplicateNonce(), false);
                }
                case dev.purser.ledger.Refused refused -> {
                    if (refused.reason() != Refusal.IDEMPOTENCY_KEY_IN_FLIGHT) {
                        return new Refused(PaymentRefusals.ofLedger(refused),
                                !refused.reason().concernsKey());
                    }
                    // Another request holds this key's reservation: the same payment sent twice
                    // at once, or a replay. Its claim tells which; wait briefly for it.
                    Optional<TaskPayments.Payment> holder = p.payment()
                            .flatMap(pay -> payments.find(pay.key()));
                    if (holder.isPresent()) {
                        return samePayment(p, holder.get()) ? new Repeat()
                                : new Refused(PaymentRefusals.duplicateNonce(), false);
                    }
                    if (poll >= IN_FLIGHT_POLLS) {
                        return new Repeat(); // change nothing; the holder's answer stands
                    }
                    sleep(IN_FLIGHT_POLL_MILLIS);
                }
            }
        }
    }

    private boolean samePayment(Purchase p) {
        return p.payment().flatMap(pay -> payments.find(pay.key()))
                .map(stored -> samePayment(p, stored)).orElse(false);
    }

    private static boolean samePayment(Purchase p, TaskPayments.Payment stored) {
        return p.payment().map(pay -> stored.taskId().equals(p.taskId())
                && stored.payloadHash().equals(pay.payloadHash())).orElse(false);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a concurrent payment", e);
        }
    }
}
