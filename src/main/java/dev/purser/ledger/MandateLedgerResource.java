package dev.purser.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The ledger's REST surface under {@code /api/a2a/mandates/{id}}: {@code use} (a direct draw),
 * {@code ledger} (journal and receipts, paged), {@code report} and {@code quote}. Thin: bind and
 * check the input's structure, one service call, {@link LedgerErrors} for every refusal.
 */
@Path("/api/a2a/mandates")
@Produces(MediaType.APPLICATION_JSON)
public class MandateLedgerResource {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    static final int MAX_BODY_CHARS = 64 * 1024;

    private final DirectDraws draws;
    private final Envelopes envelopes;
    private final SecurityIdentity identity;
    private final ObjectMapper json;

    public MandateLedgerResource(DirectDraws draws, Envelopes envelopes, SecurityIdentity identity,
            ObjectMapper json) {
        this.draws = draws;
        this.envelopes = envelopes;
        this.identity = identity;
        this.json = json;
    }

    @POST
    @Path("{id}/use")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response use(@PathParam("id") String id, String body) {
        return LedgerErrors.guarded("draw", () -> withId(id, mandateId -> {
            if (body == null || body.length() > MAX_BODY_CHARS) {
                return LedgerErrors.badRequest("", "the body must be a JSON object under 64 KiB");
            }
            JsonNode tree;
            try {
                tree = json.readTree(body);
            } catch (IOException e) {
                return LedgerErrors.badRequest("", "the body is not valid JSON");
            }
            if (tree != null && tree.has("ap2")) {
                if (!tree.get("ap2").isTextual()) {
                    return LedgerErrors.badRequest("ap2",
                            "ap2 must be the mandate chain <open>~~<closed> as a string");
                }
                return drawn(draws.drawClosed(mandateId, tree.get("ap2").textValue()));
            }
            return switch (DrawRequest.fromJson(tree)) {
                case DrawRequest.Rejected rejected -> LedgerErrors.badRequest(
                        rejected.invalid().field(), rejected.invalid().message());
                case DrawRequest.Parsed parsed -> drawn(draws.draw(mandateId, parsed.request(),
                        tokenSubject()));
            };
        }));
    }

    @GET
    @Path("{id}/ledger")
    @Blocking
    public Response ledger(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        return LedgerErrors.guarded("ledger", () -> withId(id, mandateId -> {
            Optional<Long> afterSeq = number(after, 0, Long.MAX_VALUE, 0);
            if (afterSeq.isEmpty()) {
                return LedgerErrors.badRequest("after", "after must be a journal seq (0 or more)");
            }
            Optional<Long> pageSize = number(limit, 1, MAX_PAGE, DEFAULT_PAGE);
            if (pageSize.isEmpty()) {
                return LedgerErrors.badRequest("limit", "limit must be 1 to " + MAX_PAGE);
            }
            return envelopes.ledger(mandateId, afterSeq.get(), pageSize.get().intValue())
                    .map(page -> Response.ok(page.toJson().toString()).build())
                    .orElseGet(() -> LedgerErrors.refused(Refused.of(Refusal.UNKNOWN_MANDATE)));
        }));
    }

    @GET
    @Path("{id}/report")
    @Blocking
    public Response report(@PathParam("id") String id) {
        return LedgerErrors.guarded("report", () -> withId(id, mandateId -> envelopes.report(mandateId)
                .map(report -> Response.ok(report.toJson().toString()).build())
                .orElseGet(() -> LedgerErrors.refused(Refused.of(Refusal.UNKNOWN_MANDATE)))));
    }

    @GET
    @Path("{id}/quote")
    @Blocking
    public Response quote(@PathParam("id") String id, @QueryParam("amount") String amount) {
        return LedgerErrors.guarded("quote", () -> withId(id, mandateId -> {
            Optional<Long> units = number(amount, 1, Long.MAX_VALUE, -1);
            if (units.isEmpty() || units.get() < 0) {
                return LedgerErrors.badRequest("amount",
                        "amount must be a positive decimal string of atomic units");
            }
            return envelopes.quote(mandateId, units.get())
                    .map(quote -> Response.ok(quote.toJson().toString()).build())
                    .orElseGet(() -> LedgerErrors.refused(Refused.of(Refusal.UNKNOWN_MANDATE)));
        }));
    }

    private Response drawn(DirectDraws.Outcome outcome) {
        return switch (outcome) {
            case DirectDraws.Drawn drawn -> Response.ok(json.createObjectNode()
                    .set("receipt", drawn.receipt().toJson()).toString()).build();
            case DirectDraws.Declined declined -> LedgerErrors.refused(declined.refused());
            case DirectDraws.Malformed m -> LedgerErrors.badRequest(m.field(), m.message());
        };
    }

    private Optional<String> tokenSubject() {
        if (identity != null && !identity.isAnonymous()
                && identity.getPrincipal() instanceof JsonWebToken jwt) {
            return Optional.ofNullable(jwt.getSubject());
        }
        return Optional.empty();
    }

    private static Response withId(String id, Function<Bytes32, Response> then) {
        if (!Hex.isHex(id, 32)) {
            return LedgerErrors.badRequest("id", "the mandate id must be 0x + 64 hex digits");
        }
        return then.apply(Bytes32.fromHex(id));
    }

    /** A decimal query parameter in [min, max]; {@code fallback} when absent. */
    private static Optional<Long> number(String text, long min, long max, long fallback) {
        if (text == null || text.isEmpty()) {
            return Optional.of(fallback);
        }
        if (text.length() > 19 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(text);
            return value < min || value > max ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
