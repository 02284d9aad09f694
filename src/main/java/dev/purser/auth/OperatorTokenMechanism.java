package dev.purser.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Recognises the operator token in {@code Authorization: Bearer …} ahead of the JWT mechanism,
 * which would refuse it as a malformed JWT; any other bearer value is left to the JWT mechanism.
 * The operator's identity holds the role {@value OperatorAuthority#ROLE}, as a JWT whose
 * {@code groups} holds it does.
 */
@ApplicationScoped
public class OperatorTokenMechanism implements HttpAuthenticationMechanism {

    /** Above smallrye-jwt's default (1000), so this one looks first. */
    private static final int PRIORITY = 2000;
    private static final String BEARER = "bearer ";

    private final OperatorToken token;

    public OperatorTokenMechanism(OperatorToken token) {
        this.token = token;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context,
            IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || !token.matches(header.substring(BEARER.length()).strip())) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new Request());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(Request.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    /** A request that already proved the operator token. */
    public static final class Request extends BaseAuthenticationRequest {
    }

    /** Turns a proven operator token into the operator's identity. */
    @ApplicationScoped
    public static class Provider implements IdentityProvider<Request> {

        @Override
        public Class<Request> getRequestType() {
            return Request.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(Request request,
                AuthenticationRequestContext context) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("operator"))
                    .addRole(OperatorAuthority.ROLE).build());
        }
    }
}
