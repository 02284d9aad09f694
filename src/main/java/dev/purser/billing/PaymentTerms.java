package dev.purser.billing;

import dev.purser.crypto.Address;
import dev.purser.crypto.ServerKey;
import dev.purser.market.Offers;
import dev.purser.market.Price;
import dev.purser.market.Skill;
import dev.purser.money.Asset;
import dev.purser.x402.EmbeddedFacilitator;
import dev.purser.x402.PaymentMetadata;
import dev.purser.x402.PaymentRequirement;
import dev.purser.x402.X402Config;
import dev.purser.x402.X402Network;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The requirement a priced skill is offered at: its price in USDC on the configured network, paid
 * to {@code PURSER_PAY_TO} or the generated operator address. Fail closed: a price in an asset the
 * network does not have yields nothing, and the skill refuses work rather than charge zero.
 */
@ApplicationScoped
public class PaymentTerms implements Offers {

    /** The operator's wallet key (the default payee, and the payer of settlement gas). */
    static final String OPERATOR_KEY_FILE = EmbeddedFacilitator.OPERATOR_KEY_FILE;

    private final X402Config x402;
    private final Asset asset;
    private final Address payTo;
    private final String resourceBase;

    public PaymentTerms(X402Config x402, BillingConfig billing) {
        this.x402 = x402;
        String network = X402Network.toCaip2(x402.network()).orElseThrow(() ->
                new IllegalStateException("PURSER_NETWORK: unknown network " + x402.network()));
        this.asset = Asset.usdcOn(network).orElseThrow(() ->
                new IllegalStateException("PURSER_NETWORK: Purser knows no USDC on " + network));
        this.payTo = x402.payTo()
                .map(a -> Address.parse(a).orElseThrow(() ->
                        new IllegalStateException("PURSER_PAY_TO is not an address: " + a)))
                .orElseGet(() -> ServerKey.loadOrCreate(Path.of(billing.dataDir()), OPERATOR_KEY_FILE)
                        .address());
        this.resourceBase = billing.publicUrl().map(u -> u.endsWith("/") ? u : u + "/")
                .orElse("urn:purser:");
    }

    public Asset asset() {
        return asset;
    }

    public Address payTo() {
        return payTo;
    }

    public int x402Version() {
        return x402.x402Version();
    }

    /**
     * The version to offer a turn that activated {@code extensions}: x402 v1 to a client that
     * activated only the extension's v0.1 URI (what the published a2a-x402 Python library sends,
     * with {@code x402_version: 1}, and all it parses), else {@code PURSER_X402_VERSION}.
     */
    public int x402Version(Set<String> extensions) {
        return extensions.contains(PaymentMetadata.EXTENSION_V01)
                && !extensions.contains(PaymentMetadata.EXTENSION_V02) ? 1 : x402Version();
    }

    /** The requirement for a skill, or empty when its price cannot be paid on this network. */
    public Optional<PaymentRequirement> requirementFor(Skill skill) {
        Optional<Price> price = skill.price();
        if (price.isEmpty() || !"USDC".equals(price.get().asset())) {
            return Optional.empty();
        }
        return Optional.of(new PaymentRequirement(asset, price.get().amount(), payTo,
                x402.maxTimeoutSeconds(), resourceBase + "skills/" + skill.id(), skill.name()));
    }

    @Override
    public Optional<Offer> offerFor(Skill skill) {
        return requirementFor(skill).map(r -> new Offer(r.amount(),
                Address.of(r.asset().address()).checksummed(), skill.price().orElseThrow().asset(),
                r.asset().network(), PaymentRequirement.SCHEME, payTo.checksummed()));
    }
}
