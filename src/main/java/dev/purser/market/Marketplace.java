package dev.purser.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every service Purser sells (DESIGN §9 "Listing"): its own skills and the remote providers'
 * skills, one service per skill id with one offer per seller (the local skill is one more offer).
 * Rebuilt from the database when {@link MarketVersion} moves, so a provider change made on any
 * instance reaches this one's card and listing within {@code PURSER_MARKET_VERSION_CHECK}.
 */
@ApplicationScoped
public class Marketplace {

    /** USDC: the symbol remote prices are in (Purser settles in its network's USDC only). */
    static final String SYMBOL = "USDC";

    /**
     * A service: how the card and the listing describe it, and its offers (none when the only
     * seller is a local paid skill this network cannot take).
     *
     * @param local the local skill of this id, if Purser serves one itself
     */
    public record Service(String id, String name, String description, List<String> tags,
            List<String> examples, List<String> inputModes, List<String> outputModes,
            Optional<Skill> local, List<Candidate> offers) {

        public Service {
            tags = List.copyOf(tags);
            examples = List.copyOf(examples);
            inputModes = List.copyOf(inputModes);
            outputModes = List.copyOf(outputModes);
            offers = List.copyOf(offers);
        }

        /** The cheapest offer's price; empty when there is no offer. */
        public Optional<Long> lowestPrice() {
            return offers.stream().map(Candidate::price).min(Long::compare);
        }
    }

    private record Built(List<Service> services, Map<String, Service> byId, List<Skill> skills) {
    }

    private final SkillCatalog catalog;
    private final Offers prices;
    private final ProviderStore store;
    private final MarketVersion version;
    private final String localName;
    private final String localUrl;
    private final VersionedCopy<Built> built;

    Marketplace(SkillCatalog catalog, Offers prices, ProviderStore store, MarketVersion version) {
        this.catalog = catalog;
        this.prices = prices;
        this.store = store;
        this.version = version;
        this.built = new VersionedCopy<>(version, this::build);
        JsonNode card = catalog.template().read("card.json").orElse(MissingNode.getInstance());
        this.localName = card.path("name").asText("Purser");
        this.localUrl = card.path("provider").path("url").asText(null);
    }

    /** Every service, in id order. */
    public List<Service> services() {
        return current().services();
    }

    public Optional<Service> service(String id) {
        return Optional.ofNullable(current().byId().get(id));
    }

    /** The version the services were built from; changes with any provider change. */
    public long version() {
        return version.current();
    }

    /**
     * Every service as a card skill, priced at its cheapest offer (a remote price in USDC, the
     * settlement asset); a local-only skill exactly as the catalog has it.
     */
    public List<Skill> skills() {
        return current().skills(); // built with the services: every new task asks for them
    }

    private static Skill asSkill(Service s) {
        if (s.local().isPresent() && s.offers().stream().allMatch(Candidate::isLocal)) {
            return s.local().get();
        }
        Optional<Price> price = s.lowestPrice().filter(p -> p > 0).map(p -> new Price(p, SYMBOL));
        return new Skill(s.id(), s.name(), s.description(), s.tags(), s.examples(),
                s.inputModes(), s.outputModes(), price);
    }

    private Built current() {
        return built.get();
    }

    private Built build() {
        Map<String, List<RemoteOffer>> remote = new LinkedHashMap<>();
        store.routable().forEach(o -> remote.computeIfAbsent(o.skillId(), k -> new ArrayList<>()).add(o));
        Map<String, Service> byId = new LinkedHashMap<>();
        for (Skill s : catalog.all()) {
            List<Candidate> offers = new ArrayList<>();
            localOffer(s).ifPresent(offers::add);
            remote.getOrDefault(s.id(), List.of()).forEach(o -> offers.add(Candidate.remote(o)));
            byId.put(s.id(), new Service(s.id(), s.name(), s.description(), s.tags(), s.examples(),
                    s.inputModes(), s.outputModes(), Optional.of(s), offers));
        }
        remote.forEach((id, list) -> {
            if (byId.containsKey(id)) {
                return;
            }
            RemoteOffer first = list.get(0); // the first provider (by id) describes the service
            byId.put(id, new Service(id, first.name(), first.description(), first.tags(),
                    first.examples(), first.inputModes(), first.outputModes(), Optional.empty(),
                    list.stream().map(Candidate::remote).toList()));
        });
        List<Service> sorted = byId.values().stream().sorted(Comparator.comparing(Service::id)).toList();
        return new Built(sorted, Map.copyOf(byId),
                sorted.stream().map(Marketplace::asSkill).toList());
    }

    /** The local skill as an offer: free, or at a price this network can take (else none). */
    private Optional<Candidate> localOffer(Skill s) {
        if (!s.isPaid()) {
            return Optional.of(Candidate.local(s.id(), localName, localUrl, 0));
        }
        return prices.offerFor(s).map(o -> Candidate.local(s.id(), localName, localUrl, o.amount()));
    }
}
