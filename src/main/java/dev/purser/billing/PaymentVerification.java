package dev.purser.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.ledger.Reservation;
import dev.purser.x402.CheckedPayment;
import dev.purser.x402.Eip3009Verifier;
import dev.purser.x402.Facilitator;
import dev.purser.x402.PaymentRefusal;
import dev.purser.x402.X402Error;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * Step 3 of the paid flow: is the x402 payment good for this purchase? Every local rule of the
 * EIP-3009 authorization (x402.md §4), then the claim of its nonce for this task in one statement
 * (one authorization pays one task, even against a concurrent replay), then the facilitator's
 * verdict. A purchase the envelope alone pays has nothing to verify.
 */
@ApplicationScoped
class PaymentVerification {

    sealed interface Result {
    }

    /**
     * Verified and claimed for this purchase: from here every end is recorded on the claim.
     * {@code checked} is the x402 payment as checked here, empty when the envelope alone pays.
     */
    record Verified(Optional<CheckedPayment> checked) implements Result {
    }

    record Refused(PaymentRefusal refusal) implements Result {
    }

    /** This very payment was claimed for this purchase by a request ahead of this one. */
    record Repeat() implements Result {
    }

    private final TaskPayments payments;
    private final Facilitator facilitator;
    private final Clock clock = Clock.systemUTC();

    PaymentVerification(TaskPayments payments, Facilitator facilitator) {
        this.payments = payments;
        this.facilitator = facilitator;
    }

    Result verify(Purchase p, Reservation held) {
        if (p.payment().isEmpty()) {
            return new Verified(Optional.empty());
        }
        X402Payment pay = p.payment().get();
        CheckedPayment checked;
        switch (Eip3009Verifier.verify(pay.payload(), pay.requirement(), clock.instant())) {
            case Eip3009Verifier.Invalid invalid -> {
                return new Refused(invalid.refusal());
            }
            case Eip3009Verifier.Valid valid -> checked = new CheckedPayment(pay.payload(),
                    pay.payloadJson(), pay.requirement(), pay.requirementJson(), valid,
                    pay.payloadHash());
        }
        switch (payments.claim(pay.key(), p.taskId(), pay.payloadHash(), p.amount(), held,
                pay.payloadJson(), pay.requirementJson())) {
            case TaskPayments.Duplicate d -> {
                return new Refused(PaymentRefusals.duplicateNonce());
            }
            case TaskPayments.Resubmitted r -> {
                // The request ahead of us let its reservation go (it failed before settlement),
                // which is why we could reserve: what we hold is ours to give back.
                return new Repeat();
            }
            case TaskPayments.Claimed c -> {
                // ours: ask the facilitator
            }
        }
        // the signer recovered above stands for an embedded facilitator: recovered once per task
        ObjectNode verdict = facilitator.verify(checked);
        if (!verdict.path("isValid").asBoolean(false)) {
            String reason = verdict.path("invalidReason").asText("unexpected_verify_error");
            payments.mark(pay.key(), "failed", null);
            return new Refused(PaymentRefusal.of(reason,
                    X402Error.forReason(reason, X402Error.INVALID_SIGNATURE),
                    "the facilitator refused the payment: "
                            + verdict.path("invalidMessage").asText(reason)));
        }
        return new Verified(Optional.of(checked));
    }
}
