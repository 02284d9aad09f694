package dev.purser.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.boot.HttpErrors;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The embedded facilitator over the standard HTTP API: {@code /facilitator/verify|settle|supported}. */
@Path("/facilitator")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FacilitatorResource {

    private final EmbeddedFacilitator facilitator;

    public FacilitatorResource(EmbeddedFacilitator facilitator) {
        this.facilitator = facilitator;
    }

    @POST
    @Path("verify")
    @Blocking
    public Response verify(JsonNode body) {
        JsonNode bad = badRequest(body);
        if (bad != null) {
            return Response.status(400).entity(bad).build();
        }
        return Response.ok(facilitator.verify(body.get("paymentPayload"), body.get("paymentRequirements"))).build();
    }

    @POST
    @Path("settle")
    @Blocking
    public Response settle(JsonNode body) {
        JsonNode bad = badRequest(body);
        if (bad != null) {
            return Response.status(400).entity(bad).build();
        }
        return switch (facilitator.settle(body.get("paymentPayload"), body.get("paymentRequirements"))) {
            case SettleOutcome.Settled s -> Response.ok(s.response()).build();
            case SettleOutcome.Failed f -> Response.ok(f.response()).build();
            case SettleOutcome.Unknown u -> Response.status(503).entity(error("settlement_unknown",
                    u.reason(), null)).build();
        };
    }

    @GET
    @Path("supported")
    public ObjectNode supported() {
        return facilitator.supported();
    }

    private static JsonNode badRequest(JsonNode body) {
        if (body == null || !body.isObject()) {
            return error("invalid_request", "the body must be a JSON object", null);
        }
        for (String field : new String[] {"paymentPayload", "paymentRequirements"}) {
            if (!body.path(field).isObject()) {
                return error("invalid_request", field + " must be an object", field);
            }
        }
        return null;
    }

    /** The §8 body, {@code field} null when no one member is at fault. */
    private static ObjectNode error(String code, String message, String field) {
        return HttpErrors.node(code, message, field);
    }
}
