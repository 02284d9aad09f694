package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.auth.OperatorAuthority;
import dev.purser.boot.HttpErrors;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@code /api/market/providers} (DESIGN §9): the providers Purser resells. Reads are public;
 * writes need the operator ({@link OperatorAuthority}).
 */
@Path("/api/market/providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    private static final Logger LOG = Logger.getLogger(ProviderResource.class);

    private final Providers providers;
    private final ProviderStore store;
    private final OperatorAuthority authority;
    private final SecurityIdentity identity;
    private final AttemptHistory history;

    public ProviderResource(Providers providers, ProviderStore store, OperatorAuthority authority,
            SecurityIdentity identity, AttemptHistory history) {
        this.providers = providers;
        this.store = store;
        this.authority = authority;
        this.identity = identity;
        this.history = history;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(JsonNode body, @Context UriInfo uri) {
        return asOperator("register a provider", () -> answer(providers.register(body), uri));
    }

    @GET
    public Response list() {
        return HttpErrors.guarded(LOG, "list providers", () -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ArrayNode list = out.putArray("providers");
            providers.all().stream().filter(s -> s.provider().isActive())
                    .forEach(s -> list.add(ProviderJson.of(s, store)));
            return Response.ok(out).build();
        });
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return HttpErrors.guarded(LOG, "read a provider", () -> providers.find(id)
                .map(s -> Response.ok(ProviderJson.of(s, store)).build())
                .orElseGet(() -> notFound(id)));
    }

    /** The newest {@code limit} attempts at its offers: outcome, ms, at (for the console's chart). */
    @GET
    @Path("{id}/history")
    public Response history(@PathParam("id") String id, @QueryParam("limit") String limit) {
        return AttemptHistory.answer(LOG, "read a provider's history", limit,
                () -> providers.find(id).isPresent(), n -> history.ofProvider(id, n),
                () -> notFound(id));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return asOperator("delete a provider", () -> providers.delete(id)
                .map(s -> Response.ok(ProviderJson.of(s, store)).build())
                .orElseGet(() -> notFound(id)));
    }

    @POST
    @Path("{id}/refresh")
    public Response refresh(@PathParam("id") String id, @Context UriInfo uri) {
        return asOperator("refresh a provider", () -> providers.refresh(id)
                .map(r -> r instanceof Providers.Saved s
                        ? Response.ok(ProviderJson.of(s.provider(), store)).build()
                        : answer(r, uri))
                .orElseGet(() -> notFound(id)));
    }

    private Response answer(Providers.Result result, UriInfo uri) {
        return switch (result) {
            case Providers.Saved s -> (s.created()
                    ? Response.created(uri.getBaseUriBuilder().path("api/market/providers")
                            .path(s.provider().provider().id).build())
                    : Response.ok()).entity(ProviderJson.of(s.provider(), store)).build();
            case Providers.Refused r -> OperatorGate.refused(r.refusal());
        };
    }

    private Response asOperator(String what, Supplier<Response> call) {
        return OperatorGate.asOperator(authority, identity, LOG, what, call);
    }

    private static Response notFound(String id) {
        return HttpErrors.of(404, "not_found", "no provider " + id, "id");
    }
}
