package dev.purser.market;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Providers and their offers in PostgreSQL (Hibernate ORM with Panache). Every write bumps
 * {@link MarketVersion} in its transaction; writes for one card URL are serialised by an advisory
 * lock, so instances applying the same providers file at once make one provider.
 */
@ApplicationScoped
class ProviderStore {

    private final MarketVersion version;
    private final JsonColumns json;

    ProviderStore(MarketVersion version, JsonColumns json) {
        this.version = version;
        this.json = json;
    }

    /** A provider's offers as a registration or refresh computed them. */
    record NewOffer(ProviderCard.RemoteSkill skill, long providerPrice, long fee, long price,
            Optional<Duration> cacheTtl) {
    }

    /** The stored state of a provider after a write, and whether the write made it active. */
    record Saved(StoredProvider provider, List<StoredOffer> offers, boolean created) {
    }

    @Transactional
    Optional<StoredProvider> byCardUrl(String cardUrl) {
        return StoredProvider.byCardUrl(cardUrl);
    }

    @Transactional
    Optional<Saved> find(String id) {
        return StoredProvider.<StoredProvider>findByIdOptional(id)
                .map(p -> new Saved(p, StoredOffer.ofProvider(p.id), false));
    }

    @Transactional
    List<Saved> all() {
        return StoredProvider.<StoredProvider>list("order by id").stream()
                .map(p -> new Saved(p, StoredOffer.ofProvider(p.id), false)).toList();
    }

    /** Creates or updates the provider of {@code cardUrl} with what its card now says. */
    @Transactional
    Saved save(String id, Registration r, String skillsJson, Map<String, String> headers,
            ProviderCard card, List<NewOffer> offers) {
        Panache.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 50))")
                .setParameter(1, r.cardUrl()).getSingleResult();
        StoredProvider p = StoredProvider.byCardUrl(r.cardUrl()).orElse(null);
        boolean created = p == null || !p.isActive();
        if (p == null) {
            p = new StoredProvider();
            p.id = id;
            p.cardUrl = r.cardUrl();
            p.createdAt = Instant.now();
        }
        p.name = card.name();
        p.description = card.description();
        p.protocolVersion = card.protocolVersion();
        p.interfaceUrl = card.interfaceUrl();
        p.streaming = card.streaming();
        p.feeBps = r.fee().bps();
        p.feeAmount = r.fee().amount();
        p.headers = json.sealHeaders(JsonColumns.PROVIDER_HEADERS, headers, p.id);
        p.skills = skillsJson;
        p.status = StoredProvider.ACTIVE;
        p.refreshedAt = Instant.now();
        p.persist();
        Map<String, StoredOffer> existing = new HashMap<>();
        StoredOffer.ofProvider(p.id).forEach(o -> existing.put(o.skillId, o));
        for (StoredOffer o : existing.values()) {
            o.active = false; // a skill that left the card stays as history
        }
        for (NewOffer n : offers) {
            StoredOffer o = existing.get(n.skill().id());
            if (o == null) {
                o = new StoredOffer();
                o.id = RemoteOffer.idOf(p.id, n.skill().id());
                o.providerId = p.id;
                o.skillId = n.skill().id();
            }
            o.name = n.skill().name();
            o.description = n.skill().description();
            o.tags = write(n.skill().tags());
            o.examples = write(n.skill().examples());
            o.inputModes = write(n.skill().inputModes());
            o.outputModes = write(n.skill().outputModes());
            o.providerPrice = n.providerPrice();
            o.fee = n.fee();
            o.price = n.price();
            o.cacheTtlMs = n.cacheTtl().map(Duration::toMillis).orElse(null);
            o.active = true;
            o.persist();
        }
        version.bump();
        return new Saved(p, StoredOffer.ofProvider(p.id), created);
    }

    /** Ends new delegations to the provider; it and its offers stay as history. */
    @Transactional
    Optional<Saved> delete(String id) {
        Optional<StoredProvider> found = StoredProvider.findByIdOptional(id);
        found.ifPresent(p -> {
            p.status = StoredProvider.DELETED;
            StoredOffer.ofProvider(p.id).forEach(o -> o.active = false);
            version.bump();
        });
        return found.map(p -> new Saved(p, StoredOffer.ofProvider(p.id), false));
    }

    /** Every routable offer with its provider, for the in-memory catalog. */
    @Transactional
    List<RemoteOffer> routable() {
        Map<String, StoredProvider> providers = new HashMap<>();
        StoredProvider.active().forEach(p -> providers.put(p.id, p));
        return StoredOffer.routable().stream().filter(o -> providers.containsKey(o.providerId))
                .map(o -> {
                    StoredProvider p = providers.get(o.providerId);
                    return new RemoteOffer(o.id, p.id, p.name, p.cardUrl, p.interfaceUrl,
                            p.protocolVersion, p.streaming, headers(p), o.skillId, o.name,
                            o.description, strings(o.tags), strings(o.examples),
                            strings(o.inputModes), strings(o.outputModes), o.providerPrice, o.fee,
                            o.price, Optional.ofNullable(o.cacheTtlMs).map(Duration::ofMillis));
                }).toList();
    }

    Map<String, String> headers(StoredProvider p) {
        return json.headers(JsonColumns.PROVIDER_HEADERS, p.headers, p.id);
    }

    List<String> strings(String array) {
        return json.list(array);
    }

    private String write(Object value) {
        return json.write(value);
    }
}
