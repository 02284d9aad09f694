package dev.purser.mandate;

/** The outcome of verifying a signed request (revocation, draw): its content, or a refusal. */
public sealed interface Verification<T> permits Verification.Accepted, Verification.Refused {

    record Accepted<T>(T value) implements Verification<T> {
    }

    record Refused<T>(MandateRefusal refusal) implements Verification<T> {
    }
}
