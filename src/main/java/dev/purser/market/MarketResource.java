package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.boot.HttpErrors;
import dev.purser.money.Amount;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/market/services}: the marketplace listing (DESIGN §9), local skills and remote
 * services, one entry per service id with its offers. A service's price is the offer a
 * {@code cost} route would pick now (the amount the caller pays), from {@link Offers} like the
 * card's x402 params and the payment-required answer. A service none of whose offers can be
 * routed to (a paid local skill this network cannot take, every offer down) is listed with
 * {@code "available": false}, never as free.
 */
@Path("/api/market/services")
@Produces(MediaType.APPLICATION_JSON)
public class MarketResource {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;
    private static final Logger LOG = Logger.getLogger(MarketResource.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Marketplace market;
    private final Offers offers;
    private final Router router;
    private final MarketConfig config;
    private final JsonNode provider;

    public MarketResource(SkillCatalog catalog, Marketplace market, Offers offers, Router router,
            MarketConfig config) {
        this.market = market;
        this.offers = offers;
        this.router = router;
        this.config = config;
        this.provider = catalog.template().read("card.json").map(c -> c.get("provider")).orElse(null);
    }

    private enum Sort { ID, PRICE, LATENCY, SUCCESS }

    /**
     * Filters combine (all must hold): {@code tag} (exact, case-insensitive), {@code q} (in id,
     * name or description), {@code paid} ({@code true}|{@code false}), {@code provider} (an offer
     * of that provider id, {@code local} for this server), {@code maxPrice} (the price, atomic
     * units, at most this). {@code sort}: {@code price} (cheapest first), {@code latency} (lowest
     * p50 of any offer first), {@code success} (highest success rate of any offer first); default
     * id order. Pages of at most {@code limit} after the service {@code after} in that order.
     */
    @GET
    public Response list(@QueryParam("tag") String tag, @QueryParam("q") String q,
            @QueryParam("paid") String paid, @QueryParam("provider") String providerId,
            @QueryParam("maxPrice") String maxPrice, @QueryParam("sort") String sort,
            @QueryParam("after") String after, @QueryParam("limit") String limit) {
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
        Optional<Long> max = Optional.empty();
        if (maxPrice != null) {
            max = Amount.parse(maxPrice).toOptional().map(Amount::units);
            if (max.isEmpty()) {
                return invalid("maxPrice", "maxPrice must be a decimal string of atomic units");
            }
        }
        Sort order = sort == null ? Sort.ID : switch (sort) {
            case "price" -> Sort.PRICE;
            case "latency" -> Sort.LATENCY;
            case "success" -> Sort.SUCCESS;
            default -> null;
        };
        if (order == null) {
            return invalid("sort", "sort must be price, latency or success");
        }
        Optional<Long> cap = max;
        int page = size;
        return HttpErrors.guarded(LOG, "list services",
                () -> list(tag, q, paid, providerId, cap, order, after, page));
    }

    private Response list(String tag, String q, String paid, String providerId, Optional<Long> max,
            Sort order, String after, int size) {
        List<Marketplace.Service> services = market.services();
        Map<String, OfferHealth> health = router.health(services.stream()
                .flatMap(s -> s.offers().stream()).map(Candidate::offerId).toList());
        Instant now = Instant.now();
        int k = config.market().breakerFailures();
        List<ServiceJson.Listed> listed = new ArrayList<>();
        for (Marketplace.Service s : services) {
            List<RouteOrder.Ranked<Candidate>> routable = RouteOrder.order(s.offers(), health,
                    RouteMode.COST, Optional.empty(), now, k);
            Optional<Candidate> chosen = routable.stream().findFirst().map(RouteOrder.Ranked::offer)
                    .or(() -> s.offers().stream().min(Comparator.comparingLong(Candidate::price)));
            listed.add(new ServiceJson.Listed(s, chosen, !routable.isEmpty(), health));
        }
        Predicate<ServiceJson.Listed> keep = l -> true;
        if (tag != null) {
            keep = keep.and(l -> l.service().tags().stream().anyMatch(t -> t.equalsIgnoreCase(tag)));
        }
        if (q != null) {
            keep = keep.and(l -> contains(l.service(), q));
        }
        if (paid != null) {
            keep = keep.and(l -> isPaid(l) == Boolean.parseBoolean(paid));
        }
        if (providerId != null) {
            keep = keep.and(l -> l.service().offers().stream()
                    .anyMatch(c -> c.providerId().equals(providerId)));
        }
        if (max.isPresent()) {
            keep = keep.and(l -> l.chosen().isPresent() && l.chosen().get().price() <= max.get());
        }
        List<ServiceJson.Listed> matching = new ArrayList<>(listed.stream().filter(keep).toList());
        matching.sort(comparator(order).thenComparing(l -> l.service().id()));
        int start = 0;
        if (after != null) {
            start = matching.size();
            for (int i = 0; i < matching.size(); i++) {
                String id = matching.get(i).service().id();
                if (order == Sort.ID ? id.compareTo(after) > 0 : id.equals(after)) {
                    start = order == Sort.ID ? i : i + 1;
                    break;
                }
            }
        }
        List<ServiceJson.Listed> pageItems = matching.subList(start, Math.min(matching.size(), start + size));
        ObjectNode out = F.objectNode();
        ArrayNode array = out.putArray("services");
        pageItems.forEach(l -> array.add(ServiceJson.of(l, offers, router, provider)));
        boolean more = start + size < matching.size();
        out.put("next", more ? pageItems.get(pageItems.size() - 1).service().id() : null);
        return Response.ok(out).build();
    }

    private static Comparator<ServiceJson.Listed> comparator(Sort order) {
        return switch (order) {
            case ID -> Comparator.comparing(l -> l.service().id());
            case PRICE -> Comparator.comparingLong(l -> l.chosen().filter(c -> l.available())
                    .map(Candidate::price).orElse(Long.MAX_VALUE));
            case LATENCY -> Comparator.comparingLong(l -> l.service().offers().stream()
                    .map(c -> l.health().getOrDefault(c.offerId(), OfferHealth.UNTRIED).p50Ms())
                    .filter(p -> p.isPresent()).mapToLong(p -> p.getAsLong()).min()
                    .orElse(Long.MAX_VALUE));
            case SUCCESS -> Comparator.comparingDouble(l -> -l.service().offers().stream()
                    .map(c -> l.health().getOrDefault(c.offerId(), OfferHealth.UNTRIED).successRate())
                    .flatMap(Optional::stream).mapToDouble(Double::doubleValue).max().orElse(-1));
        };
    }

    /** Paid: its price is not zero, or it is a paid local skill (even one not payable here). */
    private static boolean isPaid(ServiceJson.Listed l) {
        return l.chosen().map(c -> c.price() > 0)
                .orElseGet(() -> l.service().local().map(Skill::isPaid).orElse(false));
    }

    private static boolean contains(Marketplace.Service s, String q) {
        String needle = q.toLowerCase(Locale.ROOT);
        return s.id().toLowerCase(Locale.ROOT).contains(needle)
                || s.name().toLowerCase(Locale.ROOT).contains(needle)
                || s.description().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static Response invalid(String field, String message) {
        return HttpErrors.of(400, "invalid", message, field);
    }
}
