package dev.purser.x402;

/**
 * Why a payment payload was refused: the facilitator reason string of the x402 spec (what
 * {@code /verify} answers as {@code invalidReason}) and the A2A extension's error code.
 */
public record PaymentRefusal(String reason, X402Error error, String detail) {

    public static PaymentRefusal of(String reason, X402Error error, String detail) {
        return new PaymentRefusal(reason, error, detail);
    }
}
