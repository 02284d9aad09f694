package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A skill service of the listing on the wire (DESIGN §9): {@code {id, kind: "skill", name,
 * description, tags, available, price, provider {kind, id, name, url}, offers: [{provider, price,
 * providerPrice, fee, latencyMs, successRate, status}]}}. A price is the §8 price object (amount, asset, symbol,
 * network, scheme, payTo), null when free.
 */
final class ServiceJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ServiceJson() {
    }

    /** A skill service with what the listing worked out for it. */
    record Listed(Marketplace.Service service, Optional<Candidate> chosen, boolean available,
            Map<String, OfferHealth> health) implements ListedService {

        @Override
        public String id() {
            return service.id();
        }

        @Override
        public String name() {
            return service.name();
        }

        @Override
        public String description() {
            return service.description();
        }

        @Override
        public List<String> tags() {
            return service.tags();
        }

        @Override
        public List<Candidate> offers() {
            return service.offers();
        }

        /** Its price is not zero, or it is a paid local skill (even one not payable here). */
        @Override
        public boolean paid() {
            return chosen.map(c -> c.price() > 0)
                    .orElseGet(() -> service.local().map(Skill::isPaid).orElse(false));
        }

        @Override
        public String kind() {
            return "skill";
        }
    }

    static ObjectNode of(Listed l, Offers prices, Router router, JsonNode localProvider) {
        Marketplace.Service s = l.service();
        ObjectNode n = F.objectNode();
        n.put("id", s.id());
        n.put("kind", l.kind());
        n.put("name", s.name());
        n.put("description", s.description());
        ArrayNode tags = n.putArray("tags");
        s.tags().forEach(tags::add);
        n.put("available", l.available());
        n.set("price", l.chosen().map(c -> price(s, c, prices)).orElse(F.nullNode()));
        Optional<Candidate> shown = l.chosen().or(() -> s.offers().stream().findFirst());
        n.set("provider", shown.map(c -> provider(c, localProvider))
                .orElseGet(() -> local(Candidate.LOCAL, localProvider)));
        ArrayNode offers = n.putArray("offers");
        for (Candidate c : s.offers()) {
            OfferHealth h = l.health().getOrDefault(c.offerId(), OfferHealth.UNTRIED);
            ObjectNode o = offers.addObject();
            o.set("provider", provider(c, localProvider));
            o.set("price", price(s, c, prices));
            o.put("providerPrice", Long.toString(c.providerPrice()));
            o.put("fee", Long.toString(c.fee()));
            health(o, h, router);
        }
        return n;
    }

    /** An offer's {@code latencyMs}, {@code successRate} and {@code status}. */
    static void health(ObjectNode o, OfferHealth h, Router router) {
        if (h.p50Ms().isPresent()) {
            o.put("latencyMs", h.p50Ms().getAsLong());
        } else {
            o.putNull("latencyMs");
        }
        if (h.successRate().isPresent()) {
            o.put("successRate", h.successRate().get());
        } else {
            o.putNull("successRate");
        }
        o.put("status", router.status(h).wire());
    }

    private static ObjectNode provider(Candidate c, JsonNode localProvider) {
        if (c.isLocal()) {
            return local(c.providerName(), localProvider);
        }
        ObjectNode p = F.objectNode();
        p.put("kind", c.kind().wire());
        p.put("id", c.providerId());
        p.put("name", c.providerName());
        p.put("url", c.providerUrl());
        return p;
    }

    /** This server as a provider: the card's name, and the template's organization and url. */
    private static ObjectNode local(String name, JsonNode localProvider) {
        ObjectNode p = F.objectNode();
        p.put("kind", Candidate.Kind.LOCAL.wire());
        p.put("id", Candidate.LOCAL);
        p.put("name", name);
        p.set("organization", localProvider == null ? null : localProvider.get("organization"));
        p.set("url", localProvider == null ? null : localProvider.get("url"));
        return p;
    }

    /** The §8 price object of what a caller pays through {@code c}; null when it is free. */
    private static JsonNode price(Marketplace.Service s, Candidate c, Offers prices) {
        if (c.price() == 0) {
            return F.nullNode();
        }
        Skill priced = c.isLocal() && s.local().isPresent() ? s.local().get()
                : new Skill(s.id(), s.name(), s.description(), s.tags(), s.examples(),
                        s.inputModes(), s.outputModes(),
                        Optional.of(new Price(c.price(), Marketplace.SYMBOL)));
        return prices.offerFor(priced).<JsonNode>map(o -> {
            ObjectNode price = F.objectNode();
            price.put("amount", Long.toString(o.amount()));
            price.put("asset", o.asset());
            price.put("symbol", o.symbol());
            price.put("network", o.network());
            price.put("scheme", o.scheme());
            price.put("payTo", o.payTo());
            return price;
        }).orElse(F.nullNode());
    }
}
