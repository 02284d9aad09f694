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
 * {@code /api/market/models} (DESIGN §11 "Upstreams"): the OpenAI-compatible upstreams Purser
 * resells per token. Reads are public; writes need the operator ({@link OperatorAuthority}).
 */
@Path("/api/market/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelUpstreamResource {

    private static final Logger LOG = Logger.getLogger(ModelUpstreamResource.class);

    private final ModelUpstreams upstreams;
    private final ModelStore store;
    private final OperatorAuthority authority;
    private final SecurityIdentity identity;
    private final AttemptHistory history;
    private final long defaultMaxOutput;

    public ModelUpstreamResource(ModelUpstreams upstreams, ModelStore store,
            OperatorAuthority authority, SecurityIdentity identity, MarketConfig config,
            AttemptHistory history) {
        this.upstreams = upstreams;
        this.store = store;
        this.authority = authority;
        this.identity = identity;
        this.history = history;
        this.defaultMaxOutput = config.models().defaultMaxOutput();
    }

    /** 201 with {@code Location} for a new base URL; 200 when it updates its upstream. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(JsonNode body, @Context UriInfo uri) {
        return asOperator("register a model upstream", () -> switch (upstreams.register(body)) {
            case ModelUpstreams.Saved s -> (s.created()
                    ? Response.created(uri.getBaseUriBuilder().path("api/market/models")
                            .path(s.upstream().upstream().id).build())
                    : Response.ok()).entity(json(s.upstream())).build();
            case ModelUpstreams.Refused r -> OperatorGate.refused(r.refusal());
        });
    }

    /** The active upstreams. */
    @GET
    public Response list() {
        return HttpErrors.guarded(LOG, "list model upstreams", () -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ArrayNode list = out.putArray("upstreams");
            upstreams.all().stream().filter(s -> s.upstream().isActive())
                    .forEach(s -> list.add(json(s)));
            return Response.ok(out).build();
        });
    }

    /** An upstream, deleted ones included (their record is history). */
    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return HttpErrors.guarded(LOG, "read a model upstream", () -> upstreams.find(id)
                .map(s -> Response.ok(json(s)).build()).orElseGet(() -> notFound(id)));
    }

    /** The newest {@code limit} attempts at its offers: outcome, ms, at (for the console's chart). */
    @GET
    @Path("{id}/history")
    public Response history(@PathParam("id") String id, @QueryParam("limit") String limit) {
        return AttemptHistory.answer(LOG, "read a model upstream's history", limit,
                () -> upstreams.find(id).isPresent(), n -> history.ofUpstream(id, n),
                () -> notFound(id));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return asOperator("delete a model upstream", () -> upstreams.delete(id)
                .map(s -> Response.ok(json(s)).build()).orElseGet(() -> notFound(id)));
    }

    private ObjectNode json(ModelStore.Saved saved) {
        return UpstreamJson.of(saved, store, defaultMaxOutput);
    }

    private Response asOperator(String what, Supplier<Response> call) {
        return OperatorGate.asOperator(authority, identity, LOG, what, call);
    }

    private static Response notFound(String id) {
        return HttpErrors.of(404, "not_found", "no model upstream " + id, "id");
    }
}
