package dev.purser.metered;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A refused or failed call as OpenAI's clients expect it (DESIGN §11 "Answers"): the HTTP status
 * and the body {@code {"error": {"message", "type", "param", "code"}}}. The one place the
 * endpoint's errors are worded into the wire.
 *
 * @param param the request field at fault, or null
 * @param retryAfterSeconds for 429, when a retry may succeed; 0 = no header
 */
record CallError(int status, String type, String code, String param, String message,
        long retryAfterSeconds) {

    static CallError badRequest(String param, String message) {
        return new CallError(400, "invalid_request_error", "invalid_value", param, message, 0);
    }

    static CallError unauthorized(String code, String message) {
        return new CallError(401, "invalid_request_error", code, null, message, 0);
    }

    static CallError insufficientBudget(String message) {
        return new CallError(402, "insufficient_budget", "insufficient_budget", null, message, 0);
    }

    static CallError forbidden(String code, String message) {
        return new CallError(403, "permission_error", code, "model", message, 0);
    }

    static CallError unknownModel(String model) {
        return new CallError(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + model + "' does not exist or is not served here", 0);
    }

    static CallError guard(String code, String message, long retryAfterSeconds) {
        return new CallError(429, "rate_limit_error", code, null, message,
                Math.max(1, retryAfterSeconds));
    }

    static CallError upstream(boolean timedOut, String message) {
        return timedOut
                ? new CallError(504, "upstream_error", "upstream_timeout", null, message, 0)
                : new CallError(502, "upstream_error", "upstream_failed", null, message, 0);
    }

    static CallError internal(String message) {
        return new CallError(500, "server_error", "internal_error", null, message, 0);
    }

    ObjectNode body() {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.putObject("error").put("message", message).put("type", type).put("param", param)
                .put("code", code);
        return error;
    }

    Response response() {
        Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(body().toString());
        if (retryAfterSeconds > 0) {
            b.header("Retry-After", retryAfterSeconds);
        }
        return b.build();
    }

    /** Thrown where a call cannot go on; the resource answers {@link #error}. */
    static final class Refusal extends RuntimeException {

        private final CallError error;

        Refusal(CallError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        CallError error() {
            return error;
        }
    }

    Refusal asException() {
        return new Refusal(this);
    }
}
