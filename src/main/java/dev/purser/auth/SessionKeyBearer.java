package dev.purser.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Lets {@code Authorization: Bearer psk_…} through to {@code /v1}, whose resource checks the
 * session key itself (DESIGN §11) and answers a bad one with OpenAI's 401 body. Without this the
 * JWT mechanism would refuse the key as a malformed JWT before any resource ran. The request
 * goes on as anonymous: the key is no identity of the security layer, and elsewhere (the A2A
 * and REST endpoints) a {@code psk_} bearer is still left to the JWT mechanism, which refuses it.
 */
@ApplicationScoped
public class SessionKeyBearer implements HttpAuthenticationMechanism {

    /** How every session key secret begins. */
    public static final String PREFIX = "psk_";

    /** Above the operator token's mechanism and smallrye-jwt's (1000), so this one looks first. */
    private static final int PRIORITY = 3000;
    private static final String BEARER = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context,
            IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !isModelApi(context.normalizedPath())
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || !header.substring(BEARER.length()).strip().startsWith(PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setAnonymous(true)
                .build());
    }

    private static boolean isModelApi(String path) {
        return path != null && (path.equals("/v1") || path.startsWith("/v1/"));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
