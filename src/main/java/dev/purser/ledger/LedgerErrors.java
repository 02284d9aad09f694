package dev.purser.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one mapping of this package's outcomes to HTTP (DESIGN §8): body
 * {@code {"error": code, "message": …, "field": …}}, the status from {@link Refusal}, and
 * {@code Retry-After} on 409 and 429. A bug answers 500 with a correlation id; its trace goes to
 * the log only.
 */
final class LedgerErrors {

    private static final Logger LOG = Logger.getLogger(LedgerErrors.class);

    private LedgerErrors() {
    }

    static Response refused(Refused refused) {
        Response.ResponseBuilder response = Response.status(refused.reason().httpStatus())
                .type(MediaType.APPLICATION_JSON)
                .entity(body(refused.reason().code(), refused.message(), null));
        int status = refused.reason().httpStatus();
        if (status == 429 || status == 409) {
            response.header("Retry-After", Math.max(1, refused.retryAfterSeconds()));
        }
        return response.build();
    }

    static Response badRequest(String field, String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(body("invalid_request", message, field)).build();
    }

    static Response bug(String what, RuntimeException e) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "%s failed [%s]", what, id);
        return Response.status(500).type(MediaType.APPLICATION_JSON)
                .entity(body("internal_error", "internal error; correlation id " + id, null))
                .build();
    }

    private static String body(String code, String message, String field) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("error", code);
        json.put("message", message);
        if (field == null) {
            json.putNull("field");
        } else {
            json.put("field", field);
        }
        return json.toString();
    }
}
