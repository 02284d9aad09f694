package dev.purser.market;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model of the listing on the wire (DESIGN §11): {@code {id, kind: "model", name, description,
 * tags, available, input, output, fee, maxOutput, provider {kind: "remote", id, name, url},
 * offers: [{provider, input, output, fee, maxOutput, cacheTtl, latencyMs, successRate, status}]}}.
 * {@code input} and {@code output} are atomic units per million tokens as strings (the service's:
 * the offer a {@code cost} route picks); {@code fee} is the upstream's fee rule, {@code {"bps": n}}
 * or {@code {"amount": "atomic"}} per call, or null. A model has no per-call price, so no
 * {@code price}; the provider is the upstream (id, base URL, the URL's host as its name).
 */
final class ModelServiceJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ModelServiceJson() {
    }

    /** A model with what the listing worked out for it. */
    record Listed(String id, List<ModelOffer> offers, Optional<ModelOffer> chosen, boolean available,
            Map<String, OfferHealth> health) implements ListedService {

        @Override
        public String name() {
            return id;
        }

        @Override
        public String description() {
            return "";
        }

        @Override
        public List<String> tags() {
            return List.of();
        }

        /** Paid: the nominal price (a million tokens each way, fee included) is not zero. */
        @Override
        public boolean paid() {
            return chosen.map(o -> o.price() > 0).orElse(false);
        }

        @Override
        public String kind() {
            return "model";
        }
    }

    static ObjectNode of(Listed l, Router router) {
        ObjectNode n = F.objectNode();
        n.put("id", l.id());
        n.put("kind", l.kind());
        n.put("name", l.name());
        n.put("description", l.description());
        n.putArray("tags");
        n.put("available", l.available());
        Optional<ModelOffer> shown = l.chosen().or(() -> l.offers().stream().findFirst());
        shown.ifPresent(o -> terms(n, o));
        n.set("provider", shown.map(ModelServiceJson::provider).orElse(null));
        ArrayNode offers = n.putArray("offers");
        for (ModelOffer o : l.offers()) {
            ObjectNode j = offers.addObject();
            j.set("provider", provider(o));
            terms(j, o);
            j.put("cacheTtl", o.cacheTtl().map(Object::toString).orElse(null));
            ServiceJson.health(j, l.health().getOrDefault(o.offerId(), OfferHealth.UNTRIED), router);
        }
        return n;
    }

    private static void terms(ObjectNode n, ModelOffer o) {
        n.put("input", Long.toString(o.inputPerMillion()));
        n.put("output", Long.toString(o.outputPerMillion()));
        n.set("fee", UpstreamJson.fee(o.fee()));
        n.put("maxOutput", o.maxOutput());
    }

    private static ObjectNode provider(ModelOffer o) {
        ObjectNode p = F.objectNode();
        p.put("kind", Candidate.Kind.REMOTE.wire());
        p.put("id", o.upstreamId());
        p.put("name", URI.create(o.baseUrl()).getHost());
        p.put("url", o.baseUrl());
        return p;
    }
}
