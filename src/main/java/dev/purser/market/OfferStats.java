package dev.purser.market;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Attempts, statistics and circuit breakers of offers, in PostgreSQL so that every instance routes
 * on the same facts ({@code market_attempt}, {@code market_offer_health}). The breaker is changed
 * by single atomic upserts, so concurrent attempts on several instances count exactly.
 */
@ApplicationScoped
class OfferStats {

    private final MarketConfig.Market config;

    OfferStats(MarketConfig config) {
        this.config = config.market();
    }

    /** Stores an attempt and moves the offer's breaker. */
    @Transactional
    void record(String offerId, Outcome outcome, long millis) {
        StoredAttempt a = new StoredAttempt();
        a.offerId = offerId;
        a.outcome = outcome.wire();
        a.ms = Math.max(0, millis);
        a.at = Instant.now();
        a.persist();
        EntityManager em = Panache.getEntityManager();
        if (outcome.succeeded()) {
            em.createNativeQuery("insert into market_offer_health (offer_id, failures) values (:id, 0)"
                    + " on conflict (offer_id) do update set failures = 0, down_until = null,"
                    + " probe_until = null").setParameter("id", offerId).executeUpdate();
        } else {
            em.createNativeQuery("insert into market_offer_health as h (offer_id, failures, down_until)"
                    + " values (:id, 1, case when 1 >= :k then now() + make_interval(secs => :cool) end)"
                    + " on conflict (offer_id) do update set failures = h.failures + 1,"
                    + " down_until = case when h.failures + 1 >= :k"
                    + " then now() + make_interval(secs => :cool) else h.down_until end,"
                    + " probe_until = null")
                    .setParameter("id", offerId).setParameter("k", config.breakerFailures())
                    .setParameter("cool", coolSeconds()).executeUpdate();
        }
    }

    /**
     * Claims the one probe of an offer whose breaker is open and whose cool-off has passed; false
     * when it is not due or another caller (on any instance) holds the probe. An unanswered claim
     * lapses after one cool-off.
     */
    @Transactional
    boolean claimProbe(String offerId) {
        return Panache.getEntityManager().createNativeQuery("update market_offer_health"
                + " set probe_until = now() + make_interval(secs => :cool)"
                + " where offer_id = :id and failures >= :k"
                + " and (down_until is null or down_until <= now())"
                + " and (probe_until is null or probe_until <= now())")
                .setParameter("id", offerId).setParameter("k", config.breakerFailures())
                .setParameter("cool", coolSeconds()).executeUpdate() == 1;
    }

    /** The health of each offer; offers never tried are {@link OfferHealth#UNTRIED}. */
    @Transactional
    Map<String, OfferHealth> read(Collection<String> offerIds) {
        Map<String, OfferHealth> out = new HashMap<>();
        if (offerIds.isEmpty()) {
            return out;
        }
        EntityManager em = Panache.getEntityManager();
        @SuppressWarnings("unchecked")
        // Per offer, only its newest `window` attempts are read (the (offer_id, id desc) index):
        // numbering every attempt of the hour first would read them all on every route.
        List<Object[]> stats = em.createNativeQuery("select o.id, count(*),"
                + " count(*) filter (where a.outcome = 'completed'),"
                + " percentile_disc(0.5) within group (order by a.ms)"
                + " filter (where a.outcome = 'completed')"
                + " from unnest(string_to_array(:ids, chr(31))) as o(id) cross join lateral"
                + " (select outcome, ms from market_attempt where offer_id = o.id"
                + " and at > now() - make_interval(secs => :age) order by id desc limit :window) a"
                + " group by o.id")
                .setParameter("ids", String.join("\u001f", offerIds)) // unit separator: no id holds it
                .setParameter("age", config.windowAge().toSeconds())
                .setParameter("window", config.window()).getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> breakers = em.createNativeQuery("select offer_id, failures, down_until"
                + " from market_offer_health where offer_id in (:ids)")
                .setParameter("ids", offerIds).getResultList();
        Map<String, Object[]> breakerOf = new HashMap<>();
        breakers.forEach(b -> breakerOf.put((String) b[0], b));
        for (Object[] s : stats) {
            Object[] b = breakerOf.remove((String) s[0]);
            out.put((String) s[0], new OfferHealth(((Number) s[1]).intValue(),
                    ((Number) s[2]).intValue(), s[3] == null ? OptionalLong.empty()
                            : OptionalLong.of(((Number) s[3]).longValue()),
                    b == null ? 0 : ((Number) b[1]).intValue(), b == null ? Optional.empty() : instant(b[2])));
        }
        breakerOf.forEach((id, b) -> out.put(id, new OfferHealth(0, 0, OptionalLong.empty(),
                ((Number) b[1]).intValue(), instant(b[2]))));
        return out;
    }

    private double coolSeconds() {
        return config.breakerCooloff().toMillis() / 1000.0;
    }

    private static Optional<Instant> instant(Object value) {
        return switch (value) {
            case null -> Optional.empty();
            case Instant i -> Optional.of(i);
            case OffsetDateTime o -> Optional.of(o.toInstant());
            case Timestamp t -> Optional.of(t.toInstant());
            default -> throw new IllegalStateException("market: unexpected timestamp " + value.getClass());
        };
    }
}
