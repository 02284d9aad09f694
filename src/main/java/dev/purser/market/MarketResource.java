package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.boot.HttpErrors;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /api/market/services}: the marketplace listing. Prices come from {@link Offers}, the
 * same source as the card's x402 params and the payment-required answer, so a listed price is the
 * price charged. A paid skill whose price this network cannot take is listed with
 * {@code "available": false} rather than as free.
 */
@Path("/api/market/services")
@Produces(MediaType.APPLICATION_JSON)
public class MarketResource {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SkillCatalog catalog;
    private final Offers offers;
    private final JsonNode provider;

    public MarketResource(SkillCatalog catalog, Offers offers) {
        this.catalog = catalog;
        this.offers = offers;
        this.provider = catalog.template().read("card.json").map(c -> c.get("provider")).orElse(null);
    }

    /**
     * Filters combine (all must hold): {@code tag} (exact, case-insensitive), {@code q} (in id,
     * name or description), {@code paid} ({@code true}|{@code false}); pages in id order after
     * {@code after}, at most {@code limit}.
     */
    @GET
    public Response list(@QueryParam("tag") String tag, @QueryParam("q") String q,
            @QueryParam("paid") String paid, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        if (paid != null && !paid.equals("true") && !paid.equals("false")) {
            return invalid("paid", "paid must be true or false");
        }
        int size = DEFAULT_PAGE;
        if (limit != null) {
            size = limit.matches("[0-9]{1,4}") ? Integer.parseInt(limit) : -1;
            if (size < 1 || size > MAX_PAGE) {
                return invalid("limit", "limit must be 1 to " + MAX_PAGE);
            }
        }
        List<Skill> matching = catalog.all().stream()
                .filter(s -> tag == null || s.tags().stream().anyMatch(t -> t.equalsIgnoreCase(tag)))
                .filter(s -> q == null || contains(s, q))
                .filter(s -> paid == null || s.isPaid() == Boolean.parseBoolean(paid))
                .filter(s -> after == null || s.id().compareTo(after) > 0)
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .toList();
        ObjectNode out = F.objectNode();
        ArrayNode services = out.putArray("services");
        matching.stream().limit(size).forEach(s -> services.add(service(s)));
        out.put("next", matching.size() > size ? matching.get(size - 1).id() : null);
        return Response.ok(out).build();
    }

    private ObjectNode service(Skill s) {
        ObjectNode n = F.objectNode();
        n.put("id", s.id());
        n.put("name", s.name());
        n.put("description", s.description());
        ObjectNode p = n.putObject("provider");
        p.put("kind", "local");
        if (provider != null) {
            p.set("organization", provider.get("organization"));
            p.set("url", provider.get("url"));
        }
        ArrayNode tags = n.putArray("tags");
        s.tags().forEach(tags::add);
        if (!s.isPaid()) {
            n.putNull("price");
            n.put("available", true);
            return n;
        }
        Optional<Offers.Offer> offer = offers.offerFor(s);
        n.put("available", offer.isPresent());
        if (offer.isEmpty()) {
            n.putNull("price"); // fail closed: listed, but not payable here, never free
            return n;
        }
        Offers.Offer o = offer.get();
        ObjectNode price = n.putObject("price");
        price.put("amount", Long.toString(o.amount()));
        price.put("asset", o.asset());
        price.put("symbol", o.symbol());
        price.put("network", o.network());
        price.put("scheme", o.scheme());
        price.put("payTo", o.payTo());
        return n;
    }

    private static boolean contains(Skill s, String q) {
        String needle = q.toLowerCase(Locale.ROOT);
        return s.id().toLowerCase(Locale.ROOT).contains(needle)
                || s.name().toLowerCase(Locale.ROOT).contains(needle)
                || s.description().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static Response invalid(String field, String message) {
        return HttpErrors.of(400, "invalid", message, field);
    }
}
