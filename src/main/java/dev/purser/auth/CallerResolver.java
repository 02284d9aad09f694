package dev.purser.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Turns the request's security identity into a {@link Caller}, under the configured policy. */
@ApplicationScoped
public class CallerResolver {

    private final AuthConfig config;

    public CallerResolver(AuthConfig config) {
        this.config = config;
    }

    /** The caller, or empty when the policy refuses an anonymous one. */
    public Optional<Caller> resolve(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return config.policy() == AuthPolicy.OPTIONAL ? Optional.of(Caller.ANONYMOUS)
                    : Optional.empty();
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return Optional.of(Caller.of(String.valueOf(jwt.getIssuer()), jwt.getSubject()));
        }
        return Optional.of(Caller.of("purser", identity.getPrincipal().getName()));
    }
}
