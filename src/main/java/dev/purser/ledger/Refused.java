package dev.purser.ledger;

import java.util.Objects;

/**
 * A refusal of any ledger operation.
 *
 * @param reason the stable reason code and its HTTP status
 * @param message what a person should read; never a stack trace or class name
 * @param retryAfterSeconds for 409/429 refusals, when a retry may succeed; otherwise 0
 */
public record Refused(Refusal reason, String message, long retryAfterSeconds)
        implements OpenResult, ReserveResult, CaptureResult, ReleaseResult, RevokeResult,
        RefundResult, PolicyResult {

    public Refused {
        Objects.requireNonNull(reason, "reason");
        message = message == null ? reason.message() : message;
        retryAfterSeconds = Math.max(0, retryAfterSeconds);
    }

    public static Refused of(Refusal reason) {
        return new Refused(reason, reason.message(), 0);
    }

    public static Refused of(Refusal reason, String message) {
        return new Refused(reason, message, 0);
    }
}
