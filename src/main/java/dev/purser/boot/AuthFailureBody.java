package dev.purser.boot;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A bearer token the server refuses (expired, wrong issuer, bad signature, not a JWT and not the
 * operator token) fails before any resource runs; on the plain REST endpoints the 401 still gets
 * the error body of DESIGN §8. ({@code /api/a2a} keeps the framework's bare 401.)
 */
@ApplicationScoped
class AuthFailureBody {

    private static final String[] PATHS = {"/api/market/*"};

    void install(@Observes Router router) {
        for (String path : PATHS) {
            router.route(path).failureHandler(ctx -> {
                if (ctx.failure() instanceof AuthenticationFailedException && !ctx.response().ended()) {
                    ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                            .putHeader("WWW-Authenticate", "Bearer")
                            .end(HttpErrors.body("unauthorized", "the bearer token is not valid"
                                    + " (expired, another issuer or key, or not a token this"
                                    + " server issued)", null));
                } else {
                    ctx.next();
                }
            });
        }
    }
}
