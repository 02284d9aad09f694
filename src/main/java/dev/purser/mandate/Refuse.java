package dev.purser.mandate;

/**
 * Internal control flow of the verifiers: thrown deep inside a check, caught at the public
 * method and returned as a {@link MandateRefusal} value. Never escapes this package; carries no
 * stack trace, since it is an answer, not a bug.
 */
final class Refuse extends RuntimeException {

    private final transient MandateRefusal refusal;

    Refuse(MandateRefusal.Reason reason, String field, String message) {
        super(message, null, false, false);
        this.refusal = MandateRefusal.of(reason, field, message);
    }

    Refuse(MandateRefusal refusal) {
        super(refusal.message(), null, false, false);
        this.refusal = refusal;
    }

    MandateRefusal refusal() {
        return refusal;
    }
}
