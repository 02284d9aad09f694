package dev.purser.metered;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.mandate.SessionKey;
import dev.purser.mandate.SessionKeys;
import dev.purser.market.ModelCatalog;
import dev.purser.market.RouteMode;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * The OpenAI-compatible endpoint (DESIGN §11): {@code GET /v1/models} and
 * {@code POST /v1/chat/completions}, authorized by a session key ({@code Bearer psk_…}). Any
 * OpenAI SDK works by changing its base URL and key; every error is OpenAI's error body.
 */
@Path("/v1")
public class ChatResource {

    private static final String ROUTE = "X-Purser-Route";

    private final SessionKeys keys;
    private final ChatCalls calls;
    private final ModelCatalog catalog;
    private final ObjectMapper json;

    ChatResource(SessionKeys keys, ChatCalls calls, ModelCatalog catalog, ObjectMapper json) {
        this.keys = keys;
        this.calls = calls;
        this.catalog = catalog;
        this.json = json;
    }

    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    public Response models(@HeaderParam("Authorization") String authorization) {
        try {
            authenticate(authorization);
        } catch (CallError.Refusal r) {
            return r.error().response();
        }
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        long created = Instant.now().getEpochSecond();
        for (String id : catalog.modelIds()) {
            data.addObject().put("id", id).put("object", "model").put("created", created)
                    .put("owned_by", "purser");
        }
        return Response.ok(list.toString(), MediaType.APPLICATION_JSON).build();
    }

    /** Virtual threads: a streamed call holds its thread for as long as the caller reads. */
    @POST
    @Path("/chat/completions")
    @RunOnVirtualThread
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    public Response complete(InputStream in, @HeaderParam("Authorization") String authorization,
            @HeaderParam(ChatCalls.CACHE) String cache, @HeaderParam(ROUTE) String route) {
        try {
            SessionKey key = authenticate(authorization);
            JsonNode body = read(in);
            Optional<RouteMode> mode = Optional.empty();
            if (route != null) {
                mode = RouteMode.parse(route);
                if (mode.isEmpty()) {
                    return CallError.badRequest(null, ROUTE + " must be one of cost, speed,"
                            + " quality, balanced; got '" + route + "'").response();
                }
            }
            return calls.complete(key, body, mode, "yes".equalsIgnoreCase(cache));
        } catch (CallError.Refusal r) {
            return r.error().response();
        }
    }

    /** Any other {@code /v1} path: OpenAI's own answer for an unknown URL, in its error body. */
    @GET
    @Path("/{rest: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response unknownGet(@jakarta.ws.rs.PathParam("rest") String rest) {
        return unknown("GET", rest);
    }

    @POST
    @Path("/{rest: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response unknownPost(@jakarta.ws.rs.PathParam("rest") String rest) {
        return unknown("POST", rest);
    }

    private static Response unknown(String method, String rest) {
        return new CallError(404, "invalid_request_error", "unknown_url", null,
                "Unknown request URL: " + method + " /v1/" + rest
                        + " (Purser serves /v1/models and /v1/chat/completions)", 0).response();
    }

    private SessionKey authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw CallError.unauthorized("missing_api_key", "no session key: send"
                    + " Authorization: Bearer psk_… (POST /api/a2a/mandates/{id}/keys makes one)")
                    .asException();
        }
        return keys.authenticate(authorization.substring(7).trim()).orElseThrow(
                () -> CallError.unauthorized("invalid_api_key", "the session key is unknown,"
                        + " revoked or expired").asException());
    }

    private JsonNode read(InputStream in) {
        try {
            JsonNode body = json.readTree(in);
            if (body == null || body.isMissingNode()) {
                throw CallError.badRequest(null, "the request body is empty").asException();
            }
            return body;
        } catch (JacksonException e) {
            throw CallError.badRequest(null, "the request body is not valid JSON: "
                    + e.getOriginalMessage()).asException();
        } catch (IOException e) {
            throw CallError.badRequest(null, "the request body could not be read").asException();
        }
    }
}
