package dev.purser.mandate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Mandate settings (DESIGN §7). */
@ConfigMapping(prefix = "purser")
public interface MandateConfig {

    /**
     * {@code PURSER_NETWORK}: the settlement network, {@code base-sepolia}, {@code base} or a
     * CAIP-2 id ({@code eip155:84532}). Its chain id is the EIP-712 domain's {@code chainId} and
     * its USDC the only asset envelopes may be in.
     */
    @WithName("network")
    @WithDefault("base-sepolia")
    String network();

    /**
     * {@code PURSER_MANDATE_MAX_DEPTH}: how many levels of child mandates a root may have; 0
     * forbids delegation. Each level is one more hop of agents paying agents, and one more
     * carve-out to unwind when a parent is revoked.
     */
    @WithName("mandate.max-depth")
    @WithDefault("3")
    int maxDepth();

    /**
     * {@code PURSER_PUSH_ALLOW_PRIVATE}, read here too: an envelope policy's webhook is refused
     * at once by the push SSRF rules rather than failing each delivery later.
     */
    @WithName("push.allow-private")
    @WithDefault("false")
    boolean pushAllowPrivate();
}
