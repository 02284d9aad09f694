package dev.purser.mandate;

import dev.purser.money.Asset;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Map;

/**
 * Makes the pure verifiers injectable, configured from {@link MandateConfig}. Singletons, not
 * application-scoped: they are immutable and final, so they need no client proxy.
 */
@ApplicationScoped
public class MandateBeans {

    /** The network names DESIGN §7 uses, besides CAIP-2 ids. */
    private static final Map<String, String> NETWORKS =
            Map.of("base-sepolia", "eip155:84532", "base", "eip155:8453");

    @Produces
    @Singleton
    MandatePolicy policy(MandateConfig config) {
        return policy(config.network(), config.maxDepth());
    }

    @Produces
    @Singleton
    MandateVerifier verifier(MandatePolicy policy) {
        return new MandateVerifier(policy, Clock.systemUTC());
    }

    @Produces
    @Singleton
    SignedRequests signedRequests(MandateVerifier verifier) {
        return new SignedRequests(verifier);
    }

    /**
     * @throws IllegalArgumentException at start for a network with no known USDC: failing
     *     closed beats accepting mandates in an asset nobody configured
     */
    static MandatePolicy policy(String network, int maxDepth) {
        String caip2 = NETWORKS.getOrDefault(network, network);
        Asset usdc = Asset.usdcOn(caip2).orElseThrow(() -> new IllegalArgumentException(
                "PURSER_NETWORK " + network + ": no known USDC (base-sepolia, base)"));
        return new MandatePolicy(usdc, maxDepth);
    }
}
