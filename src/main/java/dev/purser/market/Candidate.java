package dev.purser.market;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One offer of a service as {@link Router} hands it out: everything needed to run it and charge
 * for it. A local offer (a skill this server runs itself) has no interface, protocol or headers.
 *
 * @param offerId the key {@link Router#record} takes
 * @param providerId {@value #LOCAL} for the local offer
 * @param providerUrl the provider's card URL (for the local offer, the card's provider url)
 * @param skillId the skill id at the provider (the remote skill id; the service id)
 * @param interfaceUrl the provider's JSON-RPC endpoint; null for the local offer
 * @param protocolVersion {@code "1.0"} or {@code "0.3"}; null for the local offer
 * @param headers the operator's stored headers for calling the provider (credentials)
 * @param price what the caller pays, atomic units of Purser's settlement asset
 * @param providerPrice the most Purser pays the provider, atomic units
 * @param fee {@code price - providerPrice}
 * @param cacheTtl the operator's result-cache TTL for this skill; empty = no caching
 * @param streaming whether the provider's card says it streams
 */
public record Candidate(String offerId, Kind kind, String providerId, String providerName,
        String providerUrl, String skillId, String interfaceUrl, String protocolVersion, Map<String, String> headers,
        long price, long providerPrice, long fee, Optional<Duration> cacheTtl, boolean streaming)
        implements Routable {

    public static final String LOCAL = "local";

    public enum Kind {
        LOCAL, REMOTE;

        public String wire() {
            return this == LOCAL ? "local" : "remote";
        }
    }

    public Candidate {
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(kind, "kind");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (price != Math.addExact(providerPrice, fee) || fee < 0 || providerPrice < 0) {
            throw new IllegalArgumentException("price must be providerPrice + fee, none negative");
        }
    }

    static Candidate local(String skillId, String name, String url, long price) {
        return new Candidate(LOCAL + ":" + skillId, Kind.LOCAL, LOCAL, name, url, skillId, null, null,
                Map.of(), price, price, 0, Optional.empty(), true);
    }

    static Candidate remote(RemoteOffer o) {
        return new Candidate(o.offerId(), Kind.REMOTE, o.providerId(), o.providerName(), o.cardUrl(),
                o.skillId(), o.interfaceUrl(), o.protocolVersion(), o.headers(), o.price(),
                o.providerPrice(), o.fee(), o.cacheTtl(), o.streaming());
    }

    public boolean isLocal() {
        return kind == Kind.LOCAL;
    }

    @Override
    public String toString() { // never the headers: they hold credentials
        return "Candidate[" + offerId + ", " + price + "]";
    }
}
