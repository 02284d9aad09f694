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
 * services, one entry per service id with its offers, and the models of the upstreams (DESIGN §11,
 * {@code kind: "model"}, one entry per model id with an offer per upstream). A service's price is the offer a
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
    private final ModelCatalog models;
    private final Offers offers;
    private final Router router;
    private final MarketConfig config;
    private final JsonNode provider;

    public MarketResource(SkillCatalog catalog, Marketplace market, ModelCatalog models,
            Offers offers, Router router, MarketConfig config) {
        this.market = market;
        this.models = models;
        this.offers = offers;
        this.router = router;
        this.config = config;
        this.provider = catalog.template().read("card.json").map(c -> c.get("provider")).orElse(null);
    }

    private enum Sort { ID, PRICE, LATENCY, SUCCESS }

    /**
     * Filters combine (all must hold): {@code tag} (exact, case-insensitive), {@code q} (in id,
     * name or description), {@code paid} ({@code true}|{@code false}), {@code provider} (an offer
     * of that provider or upstream id, {@code local} for this server), {@code kind} ({@code
     * skill}|{@code model}), {@code maxPrice} (the price, atomic units, at most this; for a model
     * the nominal price of a million input and a million output tokens, fee included). {@code sort}: {@code price} (cheapest first), {@code latency} (lowest
     * p50 of any offer first), {@code success} (highest success rate of any offer first); default
     * id order. Pages of at most {@code limit} after the service {@code after} in that order.
     */
    @GET
    public Response list(@QueryParam("tag") String tag, @QueryParam("q") String q,
            @QueryParam("paid") String paid, @QueryParam("provider") String providerId,
            @QueryParam("kind") String kind, @QueryParam("maxPrice") String maxPrice,
            @QueryParam("sort") String sort,
            @QueryParam("after") String after, @QueryParam("limit") String limit) {
        if (paid != null && !paid.equals("true") && !paid.equals("false")) {
            return invalid("paid", "paid must be true or false");
        }
        if (kind != null && !kind.equals("skill") && !kind.equals("model")) {
            return invalid("kind", "kind must be skill or model");
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
                () -> list(tag, q, paid, providerId, kind, cap, order, after, page));
    }

    private Response list(String tag, String q, String paid, String providerId, String kind,
            Optional<Long> max, Sort order, String after, int size) {
        List<Marketplace.Service> services = market.services();
        List<String> modelIds = models.modelIds();
        List<String> offerIds = new ArrayList<>();
        services.forEach(s -> s.offers().forEach(c -> offerIds.add(c.offerId())));
        modelIds.forEach(m -> models.offers(m).forEach(o -> offerIds.add(o.offerId())));
        Map<String, OfferHealth> health = router.health(offerIds);
        Instant now = Instant.now();
        int k = config.market().breakerFailures();
        List<ListedService> listed = new ArrayList<>();
        for (Marketplace.Service s : services) {
            Choice<Candidate> c = choose(s.offers(), health, now, k);
            listed.add(new ServiceJson.Listed(s, c.chosen(), c.available(), health));
        }
        for (String m : modelIds) {
            List<ModelOffer> offered = models.offers(m);
            Choice<ModelOffer> c = choose(offered, health, now, k);
            listed.add(new ModelServiceJson.Listed(m, offered, c.chosen(), c.available(), health));
        }
        Predicate<ListedService> keep = l -> true;
        if (tag != null) {
            keep = keep.and(l -> l.tags().stream().anyMatch(t -> t.equalsIgnoreCase(tag)));
        }
        if (q != null) {
            keep = keep.and(l -> contains(l, q));
        }
        if (paid != null) {
            keep = keep.and(l -> l.paid() == Boolean.parseBoolean(paid));
        }
        if (providerId != null) {
            keep = keep.and(l -> l.offers().stream().anyMatch(c -> c.providerId().equals(providerId)));
        }
        if (kind != null) {
            keep = keep.and(l -> l.kind().equals(kind));
        }
        if (max.isPresent()) {
            keep = keep.and(l -> l.chosen().isPresent() && l.chosen().get().price() <= max.get());
        }
        List<ListedService> matching = new ArrayList<>(listed.stream().filter(keep).toList());
        matching.sort(comparator(order).thenComparing(ListedService::id)
                .thenComparing(ListedService::kind));
        int start = 0;
        if (after != null) {
            start = matching.size();
            for (int i = 0; i < matching.size(); i++) {
                String id = matching.get(i).id();
                if (order == Sort.ID ? id.compareTo(after) > 0 : id.equals(after)) {
                    start = order == Sort.ID ? i : i + 1;
                    break;
                }
            }
        }
        List<ListedService> pageItems = matching.subList(start, Math.min(matching.size(), start + size));
        ObjectNode out = F.objectNode();
        ArrayNode array = out.putArray("services");
        pageItems.forEach(l -> array.add(switch (l) {
            case ServiceJson.Listed s -> ServiceJson.of(s, offers, router, provider);
            case ModelServiceJson.Listed m -> ModelServiceJson.of(m, router);
        }));
        boolean more = start + size < matching.size();
        out.put("next", more ? pageItems.get(pageItems.size() - 1).id() : null);
        return Response.ok(out).build();
    }

    /** The offer a {@code cost} route picks now (else the cheapest), and whether any is routable. */
    private record Choice<T>(Optional<T> chosen, boolean available) {
    }

    private static <T extends Routable> Choice<T> choose(List<T> offered, Map<String, OfferHealth> health,
            Instant now, int k) {
        List<RouteOrder.Ranked<T>> routable = RouteOrder.order(offered, health, RouteMode.COST,
                Optional.empty(), now, k);
        Optional<T> chosen = routable.stream().findFirst().map(RouteOrder.Ranked::offer)
                .or(() -> offered.stream().min(Comparator.comparingLong(Routable::price)));
        return new Choice<>(chosen, !routable.isEmpty());
    }

    private static Comparator<ListedService> comparator(Sort order) {
        return switch (order) {
            case ID -> Comparator.comparing(ListedService::id);
            case PRICE -> Comparator.comparingLong(l -> l.chosen().filter(c -> l.available())
                    .map(Routable::price).orElse(Long.MAX_VALUE));
            case LATENCY -> Comparator.comparingLong(l -> l.offers().stream()
                    .map(c -> l.health().getOrDefault(c.offerId(), OfferHealth.UNTRIED).p50Ms())
                    .filter(p -> p.isPresent()).mapToLong(p -> p.getAsLong()).min()
                    .orElse(Long.MAX_VALUE));
            case SUCCESS -> Comparator.comparingDouble(l -> -l.offers().stream()
                    .map(c -> l.health().getOrDefault(c.offerId(), OfferHealth.UNTRIED).successRate())
                    .flatMap(Optional::stream).mapToDouble(Double::doubleValue).max().orElse(-1));
        };
    }

    private static boolean contains(ListedService s, String q) {
        String needle = q.toLowerCase(Locale.ROOT);
        return s.id().toLowerCase(Locale.ROOT).contains(needle)
                || s.name().toLowerCase(Locale.ROOT).contains(needle)
                || s.description().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static Response invalid(String field, String message) {
        return HttpErrors.of(400, "invalid", message, field);
    }
}
