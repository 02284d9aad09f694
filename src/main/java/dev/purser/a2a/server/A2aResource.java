package dev.purser.a2a.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.JsonOutput;
import dev.purser.auth.Caller;
import dev.purser.auth.CallerResolver;
import dev.purser.card.AgentCardService;
import dev.purser.db.DatabaseOutage;
import dev.purser.jsonrpc.JsonRpcFailure;
import dev.purser.jsonrpc.JsonRpcRequest;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/a2a}: A2A JSON-RPC 2.0, both wire versions on one endpoint. Every answer is a
 * JSON-RPC object in an HTTP 200 body, except a refused anonymous caller (401).
 */
@Path("/api/a2a")
public class A2aResource {

    /** Larger requests are refused with -32600 before they are parsed. */
    static final int MAX_BODY_BYTES = 1 << 20;
    /** Activation request headers: 1.0's name and 0.3's (accepted on either version). */
    static final String EXTENSIONS_1_0 = "A2A-Extensions";
    static final String EXTENSIONS_0_3 = "X-A2A-Extensions";

    private final A2aDispatcher dispatcher;
    private final CallerResolver callers;
    private final SecurityIdentity identity;
    private final ObjectMapper json;
    private final AgentCardService cards;

    public A2aResource(A2aDispatcher dispatcher, CallerResolver callers, SecurityIdentity identity,
            ObjectMapper json, AgentCardService cards) {
        this.dispatcher = dispatcher;
        this.callers = callers;
        this.identity = identity;
        this.json = json;
        this.cards = cards;
    }

    /**
     * Virtual threads: a stream holds its thread for as long as the client listens. The body is a
     * byte array, read whole on the event loop before the hop (an InputStream read on the virtual
     * thread costs event-loop round trips per request; HttpLimits bounds the size first).
     */
    @POST
    @RunOnVirtualThread
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    public Response call(byte[] in, @HeaderParam("A2A-Version") String versionHeader,
            @QueryParam("A2A-Version") String versionQuery,
            @HeaderParam("Content-Type") String contentType, @Context UriInfo uri,
            @Context HttpServerResponse response,
            @HeaderParam(EXTENSIONS_1_0) List<String> extensions10,
            @HeaderParam(EXTENSIONS_0_3) List<String> extensions03) {
        // Header parameters, not @Context HttpHeaders: that builds a sorted copy of every header.
        List<String> activated10 = activated(extensions10);
        List<String> activated03 = activated(extensions03);
        Set<String> activated = new LinkedHashSet<>(activated10);
        activated.addAll(activated03);
        Response answer = answer(in, versionHeader, versionQuery, contentType, uri, response,
                Set.copyOf(activated));
        return echoExtensions(answer, activated10, activated03);
    }

    /**
     * Echoes the activated extensions — those requested that this agent supports — in the header
     * each was requested in ({@code X-A2A-Extensions} in 0.3, {@code A2A-Extensions} in 1.0), as
     * the A2A extension rules ask (a2a.md §10). Unknown URIs are ignored, never an error.
     */
    private static Response echoExtensions(Response answer, List<String> activated10,
            List<String> activated03) {
        if (activated10.isEmpty() && activated03.isEmpty()) {
            return answer;
        }
        Response.ResponseBuilder b = Response.fromResponse(answer);
        if (!activated10.isEmpty()) {
            b.header(EXTENSIONS_1_0, String.join(", ", activated10));
        }
        if (!activated03.isEmpty()) {
            b.header(EXTENSIONS_0_3, String.join(", ", activated03));
        }
        return b.build();
    }

    private List<String> activated(List<String> values) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        Set<String> supported = cards.activatableExtensions();
        Set<String> out = new LinkedHashSet<>();
        for (String value : values) {
            for (String uri : value.split(",")) {
                String u = uri.trim();
                if (supported.contains(u)) {
                    out.add(u);
                }
            }
        }
        return List.copyOf(out);
    }

    private Response answer(byte[] in, String versionHeader, String versionQuery,
            String contentType, UriInfo uri, HttpServerResponse response, Set<String> activated) {
        ProtocolVersion version = ProtocolVersion.V1_0; // the shape of a version error itself
        JsonNode id = null;
        try {
            A2aFailure unsupportedVersion = null;
            try {
                version = ProtocolVersion.select(versionHeader != null ? versionHeader : versionQuery);
            } catch (A2aFailure f) {
                unsupportedVersion = f; // answered below, once the id to echo is known
            }
            requireJson(contentType);
            JsonNode body = read(in);
            id = readableId(body);
            if (unsupportedVersion != null) {
                throw unsupportedVersion;
            }
            JsonRpcRequest req = JsonRpcRequest.parse(body);
            Optional<Caller> caller = callers.resolve(identity);
            if (caller.isEmpty()) {
                return unauthenticated(id, version);
            }
            RpcOutcome outcome = dispatcher.call(version, caller.get(), req, () -> baseUrl(uri),
                    activated);
            if (outcome instanceof RpcOutcome.Result r) {
                return ok(id, r.result());
            }
            return Response.ok(new SseStream(version, id, outcome, response, json))
                    .type(MediaType.SERVER_SENT_EVENTS_TYPE)
                    .header("Cache-Control", "no-cache")
                    .header("X-Accel-Buffering", "no")
                    .build();
        } catch (ExtendedCard.AuthenticationRequired e) {
            return unauthenticated(id, version);
        } catch (RuntimeException e) {
            Response error = ok(RpcErrors.of(version, id, e));
            // JSON-RPC errors travel in a 200; the header repeats the body's retry hint for proxies.
            return DatabaseOutage.is(e) ? Response.fromResponse(error)
                    .header("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS).build() : error;
        }
    }

    private static String baseUrl(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static JsonNode readableId(JsonNode body) {
        JsonNode id = body.isObject() ? body.get("id") : null;
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
    }

    /** JSON-RPC over HTTP is JSON: another declared media type is -32005 (spec §3). */
    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("application/json") && !type.endsWith("+json")) {
            throw A2aFailure.of(dev.purser.a2a.spec.A2aError.CONTENT_TYPE_NOT_SUPPORTED,
                    "Content-Type " + type + " is not supported; send application/json",
                    java.util.Map.of("contentType", type));
        }
    }

    private JsonNode read(byte[] bytes) {
        if (bytes == null) {
            bytes = new byte[0];
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw JsonRpcFailure.invalidRequest(null,
                    "the request is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw JsonRpcFailure.parseError("the request body is empty");
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw JsonRpcFailure.parseError("the request body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw JsonRpcFailure.parseError(e.getOriginalMessage());
        } catch (IOException e) {
            throw JsonRpcFailure.parseError("the request body could not be read");
        }
    }

    private Response unauthenticated(JsonNode id, ProtocolVersion version) {
        ObjectNode body = RpcErrors.of(version, id, JsonRpcFailure.invalidRequest(id,
                "authentication required: send Authorization: Bearer <JWT>"));
        return Response.status(Response.Status.UNAUTHORIZED).entity(bytes(body))
                .type(MediaType.APPLICATION_JSON).header("WWW-Authenticate", "Bearer").build();
    }

    /** The JSON-RPC success written straight to bytes, the result as it writes itself. */
    private Response ok(JsonNode id, JsonOutput.Writing result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", "2.0");
            g.writeFieldName("id");
            if (id == null) {
                g.writeNull();
            } else {
                id.serialize(g, null); // a string or an integer (readableId): no provider needed
            }
            g.writeFieldName("result");
            result.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("a result always serialises", e);
        }
        return Response.ok(out.toByteArray(), MediaType.APPLICATION_JSON).build();
    }

    private Response ok(ObjectNode body) {
        return Response.ok(bytes(body), MediaType.APPLICATION_JSON).build();
    }

    private byte[] bytes(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
