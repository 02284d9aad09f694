package dev.purser.mandate;

import dev.purser.boot.HttpErrors;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The mandate registry's REST surface (DESIGN §2): register, get, list, revoke,
 * set the envelope policy. The ledger's
 * {@code {id}/use|ledger|report|quote} share the {@code /api/a2a/mandates} prefix in their own
 * resource. Thin: bind, one registry call, and this class's mapping of refusals to
 * {@code {"error", "message", "field"}} with the status of DESIGN §8.
 */
@Path(MandateExtension.REGISTER_PATH)
@Produces(MediaType.APPLICATION_JSON)
public class MandateResource {

    private static final Logger LOG = Logger.getLogger(MandateResource.class);

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    private final MandateRegistry registry;

    public MandateResource(MandateRegistry registry) {
        this.registry = registry;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response register(String body) {
        return guarded("registering a mandate", () -> switch (registry.register(body)) {
            case MandateRegistry.Outcome.Done done -> Response
                    .status(done.created() ? 201 : 200)
                    .location(done.created() ? URI.create(MandateExtension.REGISTER_PATH + "/"
                            + done.json().get("id").asText()) : null)
                    .entity(done.json().toString()).build();
            case MandateRegistry.Outcome.Refused refused -> refused(refused.refusal());
        });
    }

    @GET
    @Path("{id}")
    @Blocking
    public Response get(@PathParam("id") String id) {
        return guarded("reading a mandate", () -> withId(id, mandateId ->
                answer(registry.get(mandateId))));
    }

    @GET
    @Blocking
    public Response list(@QueryParam("principal") String principal,
            @QueryParam("agent") String agent, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        return guarded("listing mandates", () -> {
            if (isBlank(principal) && isBlank(agent)) {
                return refused(RegistryRefusal.badParameter("principal",
                        "principal or agent is required: the mandates of whom?"));
            }
            for (String[] query : new String[][] {{"principal", principal}, {"agent", agent}}) {
                if (!isBlank(query[1]) && partyId(query[1]).isEmpty()) {
                    return refused(RegistryRefusal.badParameter(query[0], query[0] + " must be "
                            + "an address (0x + 40 hex) or a JWK thumbprint URN"));
                }
            }
            if (!isBlank(after) && !Hex.isHex(after, 32)) {
                return refused(RegistryRefusal.badParameter("after",
                        "after must be a mandate id (0x + 64 hex), the previous page's next"));
            }
            int size = DEFAULT_PAGE;
            if (!isBlank(limit)) {
                size = limit.matches("[0-9]{1,4}") ? Integer.parseInt(limit) : -1;
                if (size < 1 || size > MAX_PAGE) {
                    return refused(RegistryRefusal.badParameter("limit",
                            "limit must be 1 to " + MAX_PAGE));
                }
            }
            return answer(registry.list(partyId(principal).orElse(null),
                    partyId(agent).orElse(null),
                    isBlank(after) ? null : Bytes32.fromHex(after), size));
        });
    }

    @POST
    @Path("{id}/revoke")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response revoke(@PathParam("id") String id, String body) {
        return guarded("revoking a mandate", () -> withId(id, mandateId ->
                answer(registry.revoke(mandateId, body))));
    }

    @PUT
    @Path("{id}/policy")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response setPolicy(@PathParam("id") String id, String body) {
        return guarded("setting a mandate's policy", () -> withId(id, mandateId ->
                answer(registry.setPolicy(mandateId, body))));
    }

    static Response answer(MandateRegistry.Outcome outcome) {
        return switch (outcome) {
            case MandateRegistry.Outcome.Done done ->
                    Response.ok(done.json().toString()).build();
            case MandateRegistry.Outcome.Refused refused -> refused(refused.refusal());
        };
    }

    /** A party id as stored: an address checksummed, a thumbprint URN as is; else empty. */
    private static Optional<String> partyId(String text) {
        if (isBlank(text)) {
            return Optional.empty();
        }
        Optional<Address> address = Address.parse(text);
        if (address.isPresent()) {
            return Optional.of(address.get().checksummed());
        }
        String prefix = Party.P256Key.URN_PREFIX;
        // A SHA-256 thumbprint is 43 base64url characters.
        return text.startsWith(prefix) && text.substring(prefix.length())
                .matches("[A-Za-z0-9_-]{43}") ? Optional.of(text) : Optional.empty();
    }

    private static boolean isBlank(String text) {
        return text == null || text.isEmpty();
    }

    static Response withId(String id, Function<Bytes32, Response> then) {
        if (!Hex.isHex(id, 32)) {
            return refused(RegistryRefusal.badParameter("id",
                    "id: the mandate id must be 0x + 64 hex digits"));
        }
        return then.apply(Bytes32.fromHex(id));
    }

    static Response refused(RegistryRefusal refusal) {
        return HttpErrors.of(refusal.httpStatus(), refusal.code(), refusal.message(),
                refusal.field());
    }

    /** A bug answers 500 with a correlation id; the trace goes to the log only. */
    private static Response guarded(String what, Supplier<Response> call) {
        return HttpErrors.guarded(LOG, what, call);
    }
}
