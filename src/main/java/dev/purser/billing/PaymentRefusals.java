package dev.purser.billing;

import dev.purser.ledger.Refused;
import dev.purser.x402.PaymentRefusal;
import dev.purser.x402.SettleOutcome;
import dev.purser.x402.X402Error;

/** The refusals of the paid flow, worded once, with the extension's error codes (DESIGN §8). */
final class PaymentRefusals {

    private PaymentRefusals() {
    }

    static PaymentRefusal mandateRefused(String code, String detail) {
        return PaymentRefusal.of(code, X402Error.MANDATE_REFUSED, detail);
    }

    static PaymentRefusal duplicateNonce() {
        return PaymentRefusal.of("invalid_exact_evm_nonce_already_used", X402Error.DUPLICATE_NONCE,
                "this authorization's nonce was used before");
    }

    /** A ledger refusal as the extension says it. */
    static PaymentRefusal ofLedger(Refused refused) {
        return switch (refused.reason()) {
            case INSUFFICIENT_BUDGET -> PaymentRefusal.of(refused.reason().code(),
                    X402Error.INSUFFICIENT_FUNDS, "the mandate's remaining budget is too small: "
                            + refused.message());
            case IDEMPOTENCY_KEY_REUSED -> duplicateNonce();
            default -> new PaymentRefusal(refused.reason().code(), X402Error.MANDATE_REFUSED,
                    refused.message(), refused.retryAfterSeconds());
        };
    }

    /** The work failed before settlement; {@code ref} points at the logged cause. */
    static PaymentRefusal workFailed(String ref) {
        return PaymentRefusal.of("work_failed", X402Error.SETTLEMENT_FAILED,
                "the skill failed before the payment was settled; nothing was charged (ref " + ref + ")");
    }

    /** The work of a verified payment ended before its settlement: nothing was charged. */
    static PaymentRefusal abandoned() {
        return PaymentRefusal.of("work_abandoned", X402Error.SETTLEMENT_FAILED,
                "the work stopped before the payment was settled (its instance ended, or it ran"
                        + " past the work limit); nothing was charged");
    }

    static PaymentRefusal settleFailure(SettleOutcome.Failed f) {
        return PaymentRefusal.of(f.reason(), X402Error.forReason(f.reason(), X402Error.SETTLEMENT_FAILED),
                "settlement failed: " + f.reason());
    }
}
