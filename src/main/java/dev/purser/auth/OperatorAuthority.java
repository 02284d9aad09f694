package dev.purser.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Who may change what Purser resells (DESIGN §9 "Operator authority"): the holder of the operator
 * token, or a caller whose valid JWT's {@code groups} holds {@value #ROLE}. Reads need no one.
 * Used by every operator endpoint (providers, model upstreams, the console).
 */
@ApplicationScoped
public class OperatorAuthority {

    /** The JWT group (and the operator token's role) that carries the right. */
    public static final String ROLE = "purser-operator";

    /** Why a request may not write: no credentials at all (401) or credentials without the right. */
    public enum Refusal {
        UNAUTHENTICATED(401, "unauthorized",
                "operator authority required: Authorization: Bearer <operator token or JWT>"),
        FORBIDDEN(403, "forbidden", "this token does not carry the " + ROLE + " right");

        private final int status;
        private final String code;
        private final String message;

        Refusal(int status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        public String message() {
            return message;
        }
    }

    /** Empty when {@code identity} is the operator's. */
    public Optional<Refusal> refusal(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.of(Refusal.UNAUTHENTICATED);
        }
        return identity.hasRole(ROLE) ? Optional.empty() : Optional.of(Refusal.FORBIDDEN);
    }
}
