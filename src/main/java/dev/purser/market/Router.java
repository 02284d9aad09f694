package dev.purser.market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses which offer of a service serves a call, and in what order to fail over (DESIGN §9
 * "Calling", "Delegation"): {@link RouteMode} orders the offers by price, p50 latency and success
 * rate over the recent window ({@code PURSER_MARKET_WINDOW} attempts, at most
 * {@code PURSER_MARKET_WINDOW_AGE} old); a pinned provider keeps only its offers; an offer that
 * failed {@code PURSER_MARKET_BREAKER_FAILURES} times in a row is skipped for
 * {@code PURSER_MARKET_BREAKER_COOLOFF}, then handed to exactly one caller as a probe (half-open).
 * Statistics and breakers live in PostgreSQL, shared by every instance; a completed attempt is
 * written just after the call that made it ({@link AttemptLog}), a failed one at once.
 *
 * <p>Usage: {@code route(...)}, try the candidates in order, and {@link #record} every attempt
 * (including the probe's). The same two calls serve any {@link Routable} offers through
 * {@link #order}.
 */
@ApplicationScoped
public class Router {

    private final Marketplace market;
    private final OfferStats stats;
    private final AttemptLog attempts;
    private final MarketConfig.Market config;

    Router(Marketplace market, OfferStats stats, AttemptLog attempts, MarketConfig config) {
        this.market = market;
        this.stats = stats;
        this.attempts = attempts;
        this.config = config.market();
    }

    /**
     * The offers of service {@code serviceId} to try, best first; empty when the service is
     * unknown, the pinned provider does not offer it, or every offer is down.
     *
     * @param pinnedProviderId a provider id ({@value Candidate#LOCAL} for the local skill)
     */
    public List<Candidate> route(String serviceId, RouteMode mode, Optional<String> pinnedProviderId) {
        return market.service(serviceId).map(s -> order(s.offers(), mode, pinnedProviderId))
                .orElse(List.of());
    }

    /** Orders any offers by the same rules (and claims the probe of a half-open one it keeps). */
    public <T extends Routable> List<T> order(List<T> offers, RouteMode mode,
            Optional<String> pinnedProviderId) {
        attempts.flushPending();
        List<String> ids = offers.stream().map(Routable::offerId).toList();
        List<T> out = new ArrayList<>();
        for (RouteOrder.Ranked<T> r : RouteOrder.order(offers, stats.forRouting(ids), mode,
                pinnedProviderId, Instant.now(), config.breakerFailures())) {
            if (!r.probe() || stats.claimProbe(r.offer().offerId())) {
                out.add(r.offer());
            }
        }
        return out;
    }

    /**
     * Records one attempt at an offer: its outcome and how long it took. Feeds the statistics and
     * the breaker: {@code completed} closes it (written just after, off the caller's path), any
     * other outcome counts a failure in a row (written now, so the next route sees it).
     */
    public void record(Routable offer, Outcome outcome, long millis) {
        AttemptLog.Attempt a = new AttemptLog.Attempt(offer.offerId(), outcome,
                Math.max(0, millis), Instant.now());
        if (outcome.succeeded()) {
            attempts.later(a);
        } else {
            attempts.now(a);
        }
    }

    /** Writes the attempts still queued; returns once they are in the statistics. */
    public void flush() {
        attempts.flush();
    }

    /** The health of offers (for the listing and the console), read now. */
    public Map<String, OfferHealth> health(Collection<String> offerIds) {
        attempts.flushPending();
        return stats.read(offerIds);
    }

    /** The listing status of an offer with this health. */
    public OfferHealth.Status status(OfferHealth health) {
        return health.status(config.breakerFailures());
    }

    /** Whether an offer with this health can be routed to now (closed, or due for a probe). */
    public boolean available(OfferHealth health) {
        return health.failures() < config.breakerFailures()
                || health.halfOpen(config.breakerFailures(), Instant.now());
    }
}
