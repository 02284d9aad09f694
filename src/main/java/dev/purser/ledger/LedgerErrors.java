package dev.purser.ledger;

import dev.purser.boot.HttpErrors;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
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
        int status = refused.reason().httpStatus();
        Response.ResponseBuilder response = HttpErrors.builder(status, refused.reason().code(),
                refused.message(), null);
        if (status == 429 || status == 409) {
            response.header("Retry-After", Math.max(1, refused.retryAfterSeconds()));
        }
        return response.build();
    }

    static Response badRequest(String field, String message) {
        return HttpErrors.of(400, "invalid_request", message, field);
    }

    static Response guarded(String what, Supplier<Response> call) {
        return HttpErrors.guarded(LOG, what, call);
    }
}
