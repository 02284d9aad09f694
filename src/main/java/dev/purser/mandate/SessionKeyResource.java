package dev.purser.mandate;

import dev.purser.boot.HttpErrors;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Session keys of a mandate (DESIGN §11): create with the agent's signed SessionKey document,
 * revoke with the same document. Thin, like {@link MandateResource}, whose refusal body it uses.
 */
@Path(MandateExtension.REGISTER_PATH + "/{id}/keys")
@Produces(MediaType.APPLICATION_JSON)
public class SessionKeyResource {

    private static final Logger LOG = Logger.getLogger(SessionKeyResource.class);

    private final SessionKeys keys;

    public SessionKeyResource(SessionKeys keys) {
        this.keys = keys;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response create(@PathParam("id") String id, String body) {
        return guarded("creating a session key", () -> MandateResource.withId(id, mandateId -> {
            MandateRegistry.Outcome outcome = keys.create(mandateId, body);
            if (outcome instanceof MandateRegistry.Outcome.Done done) {
                return Response.status(201).entity(done.json().toString()).build();
            }
            return MandateResource.answer(outcome);
        }));
    }

    @DELETE
    @Path("{keyId}")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response revoke(@PathParam("id") String id, @PathParam("keyId") String keyId,
            String body) {
        return guarded("revoking a session key", () -> MandateResource.withId(id, mandateId ->
                MandateResource.answer(keys.revoke(mandateId, keyId, body))));
    }

    private static Response guarded(String what, Supplier<Response> call) {
        return HttpErrors.guarded(LOG, what, call);
    }
}
