package dev.purser.billing;

import dev.purser.ledger.Envelope;
import dev.purser.ledger.Reservation;
import dev.purser.x402.CheckedPayment;
import dev.purser.x402.PaymentRefusal;
import dev.purser.x402.X402Error;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The paid flow, the one place its order is written (DESIGN §3, STYLE "the paid flow as one
 * pipeline"): admit → reserve → verify → work → settle → capture or release → receipt. Each step
 * is a class that takes and returns values; none calls back up here. The flow does not know who
 * does the work (a local skill, a remote provider, an upstream model) nor in which wire format the
 * buyer hears of it: the {@link PaidWork} and the {@link FlowListener} are the seller's.
 *
 * <p>Money rule: until settlement is asked, every end releases the hold; after it, the hold stays
 * until the outcome is known (captured when settled, released when refused, kept for the
 * reconciler when unknown). Once the payment is claimed, its record is written last, after the
 * seller stored the end, so a crash in between leaves the reconciler work to finish, never a lie.
 */
@ApplicationScoped
public class PaidFlow {

    private static final Logger LOG = Logger.getLogger(PaidFlow.class);

    private final Admission admission;
    private final EnvelopeHold hold;
    private final PaymentVerification verification;
    private final Settlement settlement;
    private final Capture capture;
    private final TaskPayments payments;
    private final FaultPoints faults;

    PaidFlow(Admission admission, EnvelopeHold hold, PaymentVerification verification,
            Settlement settlement, Capture capture, TaskPayments payments, FaultPoints faults) {
        this.faults = faults;
        this.admission = admission;
        this.hold = hold;
        this.verification = verification;
        this.settlement = settlement;
        this.capture = capture;
        this.payments = payments;
    }

    public PaidOutcome run(Purchase p, PaidWork work, FlowListener listener) {
        // 1. Admission: the mandate's checks.
        Optional<Envelope> envelope;
        switch (admission.admit(p)) {
            case Admission.Admitted a -> envelope = a.envelope();
            case Admission.Refused r -> {
                return end(listener, new PaidOutcome.Failed(r.refusal()));
            }
        }
        // 2. Reservation: the ledger's statement checks budget and guards.
        Reservation held;
        switch (hold.hold(p, envelope)) {
            case EnvelopeHold.Held h -> {
                held = h.reservation();
                listener.held(held);
                faults.reach(FaultPoints.AFTER_RESERVE);
            }
            case EnvelopeHold.Refused r -> {
                if (r.keyFree()) {
                    admission.withdraw(p);
                }
                return end(listener, new PaidOutcome.Failed(r.refusal()));
            }
            case EnvelopeHold.Repeat r -> {
                return end(listener, new PaidOutcome.Repeat());
            }
        }
        // 3. Verification: the payment's rules, its claim for this purchase, the facilitator.
        Optional<CheckedPayment> checked;
        switch (verification.verify(p, held)) {
            case PaymentVerification.Verified v -> {
                // claimed: from here every end is recorded on the claim
                checked = v.checked();
                faults.reach(FaultPoints.AFTER_VERIFY);
            }
            case PaymentVerification.Refused r -> {
                capture.release(held);
                admission.withdraw(p);
                return end(listener, new PaidOutcome.Failed(r.refusal()));
            }
            case PaymentVerification.Repeat r -> {
                capture.release(held);
                return end(listener, new PaidOutcome.Repeat());
            }
        }
        PaidOutcome outcome = workAndSettle(p, held, checked, work, listener);
        listener.ended(outcome);
        p.payment().ifPresent(pay -> payments.conclude(pay.key(), outcome));
        return outcome;
    }

    /** Steps 4 to 6, on a verified and claimed payment. */
    private PaidOutcome workAndSettle(Purchase p, Reservation held,
            Optional<CheckedPayment> checked, PaidWork work, FlowListener listener) {
        if (!listener.verified()) {
            capture.release(held);
            return new PaidOutcome.Canceled();
        }
        // 4. The work.
        PaidWork.Result done;
        try {
            done = work.perform();
        } catch (RuntimeException e) {
            String ref = UUID.randomUUID().toString();
            LOG.errorf(e, "paid work for %s failed before settlement (ref %s)", p.skillId(), ref);
            done = new PaidWork.Failed("work_failed", "the skill failed before the payment was"
                    + " settled; nothing was charged (ref " + ref + ")");
        }
        if (done instanceof PaidWork.Failed f) {
            capture.release(held);
            return new PaidOutcome.Failed(PaymentRefusal.of(f.reason(), X402Error.SETTLEMENT_FAILED,
                    f.detail()));
        }
        if (!listener.stillWanted()) {
            capture.release(held);
            return new PaidOutcome.Canceled();
        }
        PaidWork.Done did = (PaidWork.Done) done;
        long charge = Math.min(p.amount(), Math.max(0, did.charge().orElse(p.amount())));
        // a write only when a failover moved the work: the hold already names the routed one
        did.servedBy().filter(provider -> !provider.equals(p.what().provider()))
                .ifPresent(provider -> capture.attribute(held, provider));
        // 5. Settlement, then 6. capture (with the ledger's receipt) or release.
        return switch (settlement.settle(p, held, checked, () -> {
            listener.settling();
            faults.reach(FaultPoints.AFTER_WORK);
        })) {
            case Settlement.Settled s -> {
                faults.reach(FaultPoints.AFTER_SETTLE);
                yield new PaidOutcome.Completed(s.response(), capture.capture(held, charge, ref(p)));
            }
            case Settlement.Failed f -> {
                capture.release(held);
                yield new PaidOutcome.Failed(f.refusal(), List.of(f.response()));
            }
            case Settlement.Unknown u -> new PaidOutcome.Pending(u.reason());
            case Settlement.HoldLost l -> new PaidOutcome.Failed(l.refusal());
            case Settlement.Abandoned a -> {
                capture.release(held);
                yield new PaidOutcome.Failed(PaymentRefusals.abandoned());
            }
        };
    }

    private static PaidOutcome end(FlowListener listener, PaidOutcome outcome) {
        listener.ended(outcome);
        return outcome;
    }

    private static String ref(Purchase p) {
        return p.payment().map(pay -> pay.key().nonce() + " of " + pay.key().payer())
                .orElse(p.idempotencyKey().hex());
    }
}
