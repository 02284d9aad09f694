package dev.purser.mandate;

import dev.purser.ledger.Refused;

/**
 * A refusal of the registry's REST surface, whichever layer refused: the verifier
 * ({@link MandateRefusal}) or the ledger ({@link Refused}). The body of DESIGN §8,
 * {@code {"error": code, "message", "field"}}, with its HTTP status.
 *
 * @param code the stable reason code
 * @param httpStatus its status (DESIGN §8)
 * @param field the request field at fault; {@code ""} when it is the whole request
 * @param message for people; names the field
 */
public record RegistryRefusal(String code, int httpStatus, String field, String message) {

    public RegistryRefusal {
        if (code == null || field == null || message == null || httpStatus < 400
                || httpStatus > 499) {
            throw new IllegalArgumentException("a refusal is a 4xx with code, field, message");
        }
    }

    static RegistryRefusal of(MandateRefusal refusal) {
        return new RegistryRefusal(refusal.code(), refusal.httpStatus(), refusal.field(),
                refusal.message());
    }

    static RegistryRefusal of(MandateRefusal.Reason reason, String field, String message) {
        return of(MandateRefusal.of(reason, field, message));
    }

    /** A ledger refusal as it is, blamed on {@code field}. */
    static RegistryRefusal of(Refused refused, String field) {
        return new RegistryRefusal(refused.reason().code(), refused.reason().httpStatus(), field,
                field.isEmpty() ? refused.message() : field + ": " + refused.message());
    }

    static RegistryRefusal unknownMandate(String id) {
        return new RegistryRefusal("unknown_mandate", 404, "id",
                "id: no mandate " + id + " is registered");
    }

    static RegistryRefusal badParameter(String field, String message) {
        return of(MandateRefusal.Reason.INVALID, field, message);
    }
}
