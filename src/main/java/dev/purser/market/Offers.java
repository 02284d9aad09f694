package dev.purser.market;

import java.util.Optional;

/**
 * What a paid skill costs on this server, as the payment side prices it. Implemented by billing,
 * so that the card, the payment-required answer and the marketplace listing quote one price.
 */
public interface Offers {

    /** The offer for a skill; empty for a free skill and for a price this network cannot take. */
    Optional<Offer> offerFor(Skill skill);

    /**
     * @param amount atomic units
     * @param asset the token contract, checksummed
     * @param symbol the asset's symbol, e.g. USDC
     * @param network CAIP-2, e.g. {@code eip155:84532}
     * @param scheme the x402 scheme, {@code exact}
     * @param payTo the payee, checksummed
     */
    record Offer(long amount, String asset, String symbol, String network, String scheme,
            String payTo) {
    }
}
