package dev.purser.market;

import dev.purser.auth.OperatorAuthority;
import dev.purser.boot.HttpErrors;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** The operator check of every market write (DESIGN §9 "Operator authority"), as HTTP answers. */
final class OperatorGate {

    private OperatorGate() {
    }

    /** {@code call}'s answer when {@code identity} is the operator's; else 401 or 403. */
    static Response asOperator(OperatorAuthority authority, SecurityIdentity identity, Logger log,
            String what, Supplier<Response> call) {
        Optional<OperatorAuthority.Refusal> refused = authority.refusal(identity);
        if (refused.isPresent()) {
            OperatorAuthority.Refusal r = refused.get();
            Response.ResponseBuilder b = HttpErrors.builder(r.status(), r.code(), r.message(), null);
            return (r.status() == 401 ? b.header("WWW-Authenticate", "Bearer") : b).build();
        }
        return HttpErrors.guarded(log, what, call);
    }

    /** The §8 error body of a refusal. */
    static Response refused(MarketRefusal r) {
        return HttpErrors.of(r.status(), r.code(), r.message(), r.field());
    }
}
