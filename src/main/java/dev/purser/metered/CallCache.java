package dev.purser.metered;

import dev.purser.crypto.Jcs;
import dev.purser.delegation.CacheStore;
import dev.purser.mandate.SessionKey;
import dev.purser.market.ModelOffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The result cache for model calls (DESIGN §11 with §9's rules): per envelope, keyed by the
 * canonical JSON of the request, kept for the serving upstream's {@code cacheTtl}, and only for
 * a deterministic request ({@code temperature: 0}) or one that asks ({@code X-Purser-Cache: yes}).
 * A hit is given back only while an upstream it could be routed to still caches. Streams are not
 * cached (a replayed stream would not be the upstream's).
 */
@ApplicationScoped
class CallCache {

    /** Where a call's answer is cached, and which upstreams may have served it. */
    record Key(String owner, String model, String hash, Set<String> caching) {
    }

    record Hit(String upstreamId, byte[] body) {
    }

    private final CacheStore store;

    CallCache(CacheStore store) {
        this.store = store;
    }

    Optional<Key> key(SessionKey key, ChatRequest request, boolean asked, List<ModelOffer> routed) {
        if (request.stream() || !(asked || request.temperatureZero())) {
            return Optional.empty();
        }
        Set<String> caching = routed.stream().filter(o -> o.cacheTtl().isPresent())
                .map(ModelOffer::upstreamId).collect(Collectors.toSet());
        if (caching.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Key("envelope:" + key.mandateId(), request.model(),
                    Jcs.sha256(request.body()).hex().substring(2), caching));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // outside what RFC 8785 canonicalizes here: not cached
        }
    }

    Optional<Hit> find(Key key) {
        return store.find(key.owner(), key.model(), key.hash())
                .filter(e -> key.caching().contains(e.providerId()))
                .map(e -> new Hit(e.providerId(), e.body().getBytes(StandardCharsets.UTF_8)));
    }

    void store(Key key, ModelOffer served, byte[] answer) {
        served.cacheTtl().ifPresent(ttl -> store.store(key.owner(), key.model(), key.hash(), ttl,
                new CacheStore.Entry(served.upstreamId(), null,
                        new String(answer, StandardCharsets.UTF_8))));
    }
}
