package dev.purser.task;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** Task events, push delivery and the conformance executor (README "Configuration"). */
@ConfigMapping(prefix = "purser")
public interface TaskConfig {

    /** {@code PURSER_CONFORMANCE}: answer the A2A TCK's scenario messages; never in production. */
    @WithDefault("false")
    boolean conformance();

    Push push();

    Events events();

    interface Push {
        /**
         * {@code PURSER_PUSH_ALLOW_PRIVATE}: allow webhooks on loopback, private and link-local
         * addresses (conformance runs and tests post to localhost). Off: such URLs are refused.
         */
        @WithName("allow-private")
        @WithDefault("false")
        boolean allowPrivate();

        /** {@code PURSER_PUSH_MAX_ATTEMPTS}: deliveries of one event before it is dropped. */
        @WithName("max-attempts")
        @WithDefault("8")
        int maxAttempts();

        /** {@code PURSER_PUSH_BACKOFF}: the first retry delay; doubled per attempt, at most 5 min. */
        @WithDefault("1s")
        Duration backoff();

        /** {@code PURSER_PUSH_TIMEOUT}: connect and response timeout of one delivery. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Events {
        /** {@code PURSER_EVENTS_RETENTION}: how long task events stay readable for subscribers. */
        @WithDefault("10m")
        Duration retention();
    }
}
