package dev.purser.x402;

/**
 * Why a payment payload was refused: the facilitator reason string of the x402 spec (what
 * {@code /verify} answers as {@code invalidReason}) and the A2A extension's error code.
 *
 * @param retryAfterSeconds for a guard's refusal (rate, concurrency), when a retry may succeed;
 *     otherwise 0
 */
public record PaymentRefusal(String reason, X402Error error, String detail, long retryAfterSeconds) {

    public PaymentRefusal {
        retryAfterSeconds = Math.max(0, retryAfterSeconds);
    }

    public static PaymentRefusal of(String reason, X402Error error, String detail) {
        return new PaymentRefusal(reason, error, detail, 0);
    }
}
