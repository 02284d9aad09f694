package dev.purser.boot;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.db.DatabaseOutage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The error body of Purser's plain HTTP endpoints (mandates, ledger, market):
 * {@code {"error": code, "message": …, "field": …}}, {@code field} null when no one member is at
 * fault, and the 500 a bug answers, with a correlation id and the trace in the log only. A
 * database outage is no bug: 503 {@code database_unavailable} with {@code Retry-After}.
 */
public final class HttpErrors {

    private HttpErrors() {
    }

    /** A JSON error answer, to add headers to before {@code build()}. */
    public static Response.ResponseBuilder builder(int status, String code, String message,
            String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(node(code, message, field));
    }

    /** The body alone, for answers written outside JAX-RS (route failure handlers). */
    public static String body(String code, String message, String field) {
        return node(code, message, field).toString();
    }

    /**
     * The same error in OpenAI's body ({@code {"error": {"message", "type", "param", "code"}}}),
     * for the OpenAI-compatible {@code /v1} paths (DESIGN §11), whose clients parse only that.
     */
    public static String openAiBody(String code, String message, String field) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error")
                .put("param", field).put("code", code);
        return body.toString();
    }

    /** The body as a tree, for answers that are entities of their own (the facilitator's). */
    public static ObjectNode node(String code, String message, String field) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", code);
        body.put("message", message);
        body.put("field", field);
        return body;
    }

    public static Response of(int status, String code, String message, String field) {
        return builder(status, code, message, field).build();
    }

    /**
     * Runs {@code call}; a database outage becomes a 503 with {@code Retry-After}, a bug a 500
     * with a correlation id, logged to {@code log}.
     */
    public static Response guarded(Logger log, String what, Supplier<Response> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return internal(log, what, e);
        }
    }

    public static Response internal(Logger log, String what, RuntimeException e) {
        if (DatabaseOutage.is(e)) {
            return unavailable(log, what, e);
        }
        String id = UUID.randomUUID().toString();
        log.errorf(e, "%s failed [%s]", what, id);
        return of(500, "internal_error", "internal error; correlation id " + id, null);
    }

    /** 503 with {@code Retry-After}: nothing was done, the same request may be sent again. */
    public static Response unavailable(Logger log, String what, Throwable e) {
        log.warnf("%s: the database is unavailable (%s)", what, e.getMessage());
        return builder(503, DatabaseOutage.CODE, DatabaseOutage.MESSAGE, null)
                .header("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS).build();
    }
}
