package dev.purser.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Refused;
import dev.purser.ledger.Reservation;
import dev.purser.x402.CheckedPayment;
import dev.purser.x402.Facilitator;
import dev.purser.x402.PaymentRefusal;
import dev.purser.x402.SettleOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Step 5 of the paid flow: move the money. Before asking the facilitator, the reservation is
 * marked settlement-unknown (the sweeper must not release what may be paid) and the claim moves
 * from verified to settling only if the reconciler has not given the work up meanwhile. From
 * then on the outcome is settled, refused, or unknown — never guessed.
 */
@ApplicationScoped
class Settlement {

    sealed interface Result {
    }

    /** Paid; {@code response} is the facilitator's answer, null when the envelope alone pays. */
    record Settled(ObjectNode response) implements Result {
    }

    /** The facilitator refused: nothing moved. */
    record Failed(PaymentRefusal refusal, ObjectNode response) implements Result {
    }

    /** Nobody knows yet whether the money moved: the reconciler asks again by nonce. */
    record Unknown(String reason) implements Result {
    }

    /** Settlement did not start: the hold ended first (swept, revoked). Nothing moved. */
    record HoldLost(PaymentRefusal refusal) implements Result {
    }

    /** Settlement did not start: the reconciler gave the work up first. Nothing moved. */
    record Abandoned() implements Result {
    }

    private final Envelopes envelopes;
    private final TaskPayments payments;
    private final Facilitator facilitator;
    private final FaultPoints faults;

    Settlement(Envelopes envelopes, TaskPayments payments, Facilitator facilitator,
            FaultPoints faults) {
        this.envelopes = envelopes;
        this.payments = payments;
        this.facilitator = facilitator;
        this.faults = faults;
    }

    /**
     * {@code storeWork} runs once the hold is marked settlement-unknown and before the claim moves
     * to settling: from then on a crash leaves work the reconciler can settle (it is stored, and
     * its hold is kept). {@code checked} is the payment as verification checked it, empty when
     * the envelope alone pays.
     */
    Result settle(Purchase p, Reservation held, Optional<CheckedPayment> checked,
            Runnable storeWork) {
        if (checked.isEmpty()) {
            storeWork.run();
            return new Settled(null);
        }
        TaskPayments.Key key = p.payment().orElseThrow().key();
        if (held != null && envelopes.markSettlementUnknown(held) instanceof Refused r) {
            return new HoldLost(PaymentRefusals.mandateRefused(r.reason().code(),
                    "the reservation on the mandate ended before settlement (" + r.message()
                            + "); nothing was charged"));
        }
        storeWork.run();
        if (facilitator.settlesInDatabase()) {
            // The claim moves to settling and the settlement is recorded in one transaction, so
            // a kill here (or in it) leaves the claim verified with its work stored: the
            // reconciler settles it.
            faults.reach(FaultPoints.DURING_SETTLE);
            return payments.settleWithin(key, c -> facilitator.settle(c, checked.get()))
                    .map(Settlement::result).orElseGet(Abandoned::new);
        }
        if (!payments.startSettling(key)) {
            // The reconciler took this work for abandoned (it ran past the work limit): not settled.
            return new Abandoned();
        }
        // A kill while the facilitator's call is in flight leaves one of two states: it never
        // recorded the settlement (this point) or it did (after-settle, in the flow).
        faults.reach(FaultPoints.DURING_SETTLE);
        return result(facilitator.settle(checked.get()));
    }

    private static Result result(SettleOutcome outcome) {
        return switch (outcome) {
            case SettleOutcome.Settled s -> new Settled(s.response());
            case SettleOutcome.Failed f -> new Failed(PaymentRefusals.settleFailure(f), f.response());
            case SettleOutcome.Unknown u -> new Unknown(u.reason());
        };
    }
}
