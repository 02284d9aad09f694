package dev.purser.delegation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** How Purser calls the providers it delegates to (DESIGN §9 "Delegation"). */
@ConfigMapping(prefix = "purser")
public interface DelegationConfig {

    /**
     * {@code PURSER_DELEGATION_TIMEOUT}: the longest one attempt at a provider may take (both
     * turns when it asks for payment); past it the attempt is a {@code timeout} and the task fails
     * over.
     */
    @WithName("delegation-timeout")
    @WithDefault("60s")
    Duration delegationTimeout();

    /** {@code PURSER_FAILOVER_MAX}: how many more offers are tried after the first one fails. */
    @WithName("failover-max")
    @WithDefault("2")
    int failoverMax();

    /**
     * {@code PURSER_DELEGATION_MAX_HOPS}: a task that came through this many brokers already
     * ({@code purser.via}) is not delegated again; nor is one that came through this server.
     */
    @WithName("delegation-max-hops")
    @WithDefault("8")
    int delegationMaxHops();
}
