package dev.purser.card;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** The agent card at both well-known paths: the same bytes, with an ETag and a max-age. */
@Path("/.well-known")
public class AgentCardResource {

    private final AgentCardService cards;

    public AgentCardResource(AgentCardService cards) {
        this.cards = cards;
    }

    @GET
    @Path("agent-card.json")
    public Response card(@Context UriInfo uri, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return serve(uri, ifNoneMatch);
    }

    /** The 0.2-era path, which 0.3 clients fall back to. */
    @GET
    @Path("agent.json")
    public Response legacyCard(@Context UriInfo uri,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return serve(uri, ifNoneMatch);
    }

    private Response serve(UriInfo uri, String ifNoneMatch) {
        String base = uri.getBaseUri().toString();
        RenderedCard card = cards.card(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        if (ifNoneMatch != null && ifNoneMatch.contains(card.etag())) {
            return Response.notModified().header(HttpHeaders.ETAG, card.etag()).build();
        }
        return Response.ok(card.bytes(), "application/json")
                .header(HttpHeaders.ETAG, card.etag())
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .build();
    }
}
