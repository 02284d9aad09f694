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
 * Model upstreams and their models in PostgreSQL (Hibernate ORM with Panache). Every write bumps
 * {@link MarketVersion} in its transaction; writes for one base URL are serialised by an advisory
 * lock (and {@code base_url} is unique), so instances applying the same models file at once make
 * one upstream.
 */
@ApplicationScoped
class ModelStore {

    private final MarketVersion version;
    private final JsonColumns json;

    ModelStore(MarketVersion version, JsonColumns json) {
        this.version = version;
        this.json = json;
    }

    /** An upstream after a read or write; {@code created}: it was not active before the write. */
    record Saved(StoredUpstream upstream, List<StoredModel> models, boolean created) {
    }

    @Transactional
    Optional<Saved> find(String id) {
        return StoredUpstream.<StoredUpstream>findByIdOptional(id).map(u -> saved(u, false));
    }

    @Transactional
    List<Saved> all() {
        return StoredUpstream.<StoredUpstream>list("order by id").stream().map(u -> saved(u, false))
                .toList();
    }

    /**
     * Creates or updates the upstream of {@code r.baseUrl()}: its fee, its headers (kept when the
     * registration gives none) and its models (one it no longer names stays, inactive, as history).
     */
    @Transactional
    Saved save(String id, ModelRegistration r) {
        Panache.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 53))")
                .setParameter(1, r.baseUrl()).getSingleResult();
        StoredUpstream u = StoredUpstream.byBaseUrl(r.baseUrl()).orElse(null);
        boolean created = u == null || !u.isActive();
        if (u == null) {
            u = new StoredUpstream();
            u.id = id;
            u.baseUrl = r.baseUrl();
            u.createdAt = Instant.now();
            u.headers = json.sealHeaders(JsonColumns.UPSTREAM_HEADERS, Map.of(), id);
        }
        u.feeBps = r.fee().bps();
        u.feeAmount = r.fee().amount();
        if (r.headers().isPresent()) {
            u.headers = json.sealHeaders(JsonColumns.UPSTREAM_HEADERS, r.headers().get(), u.id);
        }
        u.status = StoredProvider.ACTIVE;
        u.updatedAt = Instant.now();
        u.persist();
        Map<String, StoredModel> existing = new HashMap<>();
        StoredModel.ofUpstream(u.id).forEach(m -> existing.put(m.modelId, m));
        existing.values().forEach(m -> m.active = false);
        for (Map.Entry<String, ModelRegistration.Terms> e : r.models().entrySet()) {
            StoredModel m = existing.get(e.getKey());
            if (m == null) {
                m = new StoredModel();
                m.id = ModelOffer.idOf(u.id, e.getKey());
                m.upstreamId = u.id;
                m.modelId = e.getKey();
            }
            ModelRegistration.Terms t = e.getValue();
            m.inputPerMillion = t.inputPerMillion();
            m.outputPerMillion = t.outputPerMillion();
            m.maxOutput = t.maxOutput().orElse(null);
            m.cacheTtlMs = t.cacheTtl().map(Duration::toMillis).orElse(null);
            m.active = true;
            m.persist();
        }
        version.bump();
        return saved(u, created);
    }

    /** Ends new calls to the upstream; it and its models stay as history. */
    @Transactional
    Optional<Saved> delete(String id) {
        Optional<StoredUpstream> found = StoredUpstream.findByIdOptional(id);
        found.ifPresent(u -> {
            u.status = StoredProvider.DELETED;
            u.updatedAt = Instant.now();
            StoredModel.ofUpstream(u.id).forEach(m -> m.active = false);
            version.bump();
        });
        return found.map(u -> saved(u, false));
    }

    /** Every routable model with its upstream: two queries, whatever the number of models. */
    @Transactional
    List<ModelOffer> routable(long defaultMaxOutput) {
        Map<String, StoredUpstream> upstreams = new HashMap<>();
        StoredUpstream.<StoredUpstream>list("status", StoredProvider.ACTIVE)
                .forEach(u -> upstreams.put(u.id, u));
        Map<String, Map<String, String>> headers = new HashMap<>();
        return StoredModel.routable().stream().filter(m -> upstreams.containsKey(m.upstreamId))
                .map(m -> {
                    StoredUpstream u = upstreams.get(m.upstreamId);
                    return new ModelOffer(m.id, u.id, m.modelId, u.baseUrl,
                            headers.computeIfAbsent(u.id, k -> headers(u)),
                            m.inputPerMillion, m.outputPerMillion, u.fee(),
                            m.maxOutput != null ? m.maxOutput : defaultMaxOutput,
                            Optional.ofNullable(m.cacheTtlMs).map(Duration::ofMillis));
                }).toList();
    }

    /** The names of the headers stored for an upstream (their values are never shown). */
    List<String> headerNames(StoredUpstream u) {
        return headers(u).keySet().stream().sorted().toList();
    }

    private Map<String, String> headers(StoredUpstream u) {
        return json.headers(JsonColumns.UPSTREAM_HEADERS, u.headers, u.id);
    }

    private static Saved saved(StoredUpstream u, boolean created) {
        return new Saved(u, StoredModel.ofUpstream(u.id), created);
    }
}
