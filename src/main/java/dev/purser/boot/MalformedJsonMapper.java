package dev.purser.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Framework-level refusals of REST calls in the error shape of DESIGN §8: a body that is not JSON
 * (or not the JSON a resource binds) is 400 {@code malformed_json}, never Jackson's message with
 * class names or a 500; other HTTP errors the framework raises (404, 405, 415, …) get a JSON body,
 * and so does whatever a resource let escape (503 for a database outage, else 500).
 */
public class MalformedJsonMapper {

    private static final Logger LOG = Logger.getLogger(MalformedJsonMapper.class);

    @ServerExceptionMapper
    public Response http(jakarta.ws.rs.WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json);
        }
        Response r = e.getResponse();
        if (r.hasEntity()) {
            return r;
        }
        int status = r.getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String reason = known == null ? "error" : known.getReasonPhrase();
        String code = reason.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
        String message = switch (status) {
            case 400 -> "The request is malformed";
            case 405 -> "Method Not Allowed: this path does not answer that HTTP method";
            case 406 -> "Not Acceptable: this path answers application/json";
            case 415 -> "Unsupported Media Type: send Content-Type: application/json";
            default -> reason;
        };
        String field = switch (status) {
            case 405 -> "method";
            case 406 -> "Accept";
            case 415 -> "Content-Type";
            default -> null;
        };
        Response.ResponseBuilder b = HttpErrors.builder(status, code, message, field);
        r.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return b.build();
    }

    /**
     * What a resource let escape (the guarded ones answer for themselves): a database outage is
     * 503 with {@code Retry-After}, anything else the JSON 500 with a correlation id. The
     * framework's own exceptions have mappers of their own, which win as more specific.
     */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        return HttpErrors.internal(LOG, "answering a request", e);
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", "malformed_json");
        String detail = e.getOriginalMessage();
        body.put("message", "The body is not valid JSON"
                + (detail == null ? "" : ": " + detail.replaceAll("\\(class [^)]*\\)", "")));
        body.put("field", field(e));
        var loc = e.getLocation();
        if (loc != null) {
            body.put("line", loc.getLineNr());
            body.put("column", loc.getColumnNr());
        }
        return Response.status(400).entity(body).type("application/json").build();
    }

    /** The member a binding failed on ({@code provider.url}, {@code items[2]}), null when none. */
    private static String field(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)
                || m.getPath().isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (var ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }
}
