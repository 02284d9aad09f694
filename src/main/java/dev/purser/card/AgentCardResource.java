package dev.purser.card;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The agent card at both well-known paths: the same bytes, with an ETag, a Last-Modified and a
 * max-age; conditional requests get 304.
 */
@Path("/.well-known")
public class AgentCardResource {

    private final AgentCardService cards;

    public AgentCardResource(AgentCardService cards) {
        this.cards = cards;
    }

    @GET
    @Path("agent-card.json")
    public Response card(@Context UriInfo uri, @Context HttpHeaders headers) {
        return serve(uri, headers);
    }

    /** The 0.2-era path, which 0.3 clients fall back to. */
    @GET
    @Path("agent.json")
    public Response legacyCard(@Context UriInfo uri, @Context HttpHeaders headers) {
        return serve(uri, headers);
    }

    private Response serve(UriInfo uri, HttpHeaders headers) {
        String base = uri.getBaseUri().toString();
        RenderedCard card = cards.card(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(card.lastModified().atOffset(ZoneOffset.UTC));
        if (notModified(card, headers.getHeaderString(HttpHeaders.IF_NONE_MATCH),
                headers.getHeaderString(HttpHeaders.IF_MODIFIED_SINCE))) {
            return Response.notModified().header(HttpHeaders.ETAG, card.etag())
                    .header(HttpHeaders.LAST_MODIFIED, lastModified).build();
        }
        return Response.ok(card.bytes(), "application/json")
                .header(HttpHeaders.ETAG, card.etag())
                .header(HttpHeaders.LAST_MODIFIED, lastModified)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .build();
    }

    /** RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it. */
    private static boolean notModified(RenderedCard card, String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            return ifNoneMatch.contains(card.etag()) || ifNoneMatch.trim().equals("*");
        }
        if (ifModifiedSince == null) {
            return false;
        }
        try {
            Instant since = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince.trim()));
            return !card.lastModified().isAfter(since);
        } catch (DateTimeParseException e) {
            return false; // an invalid date is ignored (RFC 9110)
        }
    }
}
