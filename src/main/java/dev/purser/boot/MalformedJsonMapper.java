package dev.purser.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Framework-level refusals of REST calls in the error shape of DESIGN §8: a body that is not JSON
 * (or not the JSON a resource binds) is 400 {@code malformed_json}, never Jackson's message with
 * class names or a 500; other HTTP errors the framework raises (404, 405, 415, …) get a JSON body.
 */
public class MalformedJsonMapper {

    @ServerExceptionMapper
    public Response http(jakarta.ws.rs.WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json);
        }
        Response r = e.getResponse();
        if (r.hasEntity()) {
            return r;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        int status = r.getStatus();
        String reason = Response.Status.fromStatusCode(status) == null ? "error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        body.put("error", reason.toLowerCase(java.util.Locale.ROOT).replace(' ', '_'));
        body.put("message", status == 400 ? "The request is malformed" : reason);
        return Response.status(status).entity(body).type("application/json").build();
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", "malformed_json");
        String detail = e.getOriginalMessage();
        body.put("message", "The body is not valid JSON"
                + (detail == null ? "" : ": " + detail.replaceAll("\\(class [^)]*\\)", "")));
        var loc = e.getLocation();
        if (loc != null) {
            body.put("line", loc.getLineNr());
            body.put("column", loc.getColumnNr());
        }
        return Response.status(400).entity(body).type("application/json").build();
    }
}
