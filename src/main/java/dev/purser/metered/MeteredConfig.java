package dev.purser.metered;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** The metered endpoint's settings (DESIGN §11); each is a {@code PURSER_*} variable. */
@ConfigMapping(prefix = "purser.metered")
public interface MeteredConfig {

    /**
     * {@code PURSER_METERED_STALE}: how long a call in flight may go without its instance's
     * heartbeat before another instance takes that instance for dead and resolves the call's
     * reservation. Keep it several {@code PURSER_METERED_HEARTBEAT}s long.
     */
    @WithName("stale")
    @WithDefault("60s")
    Duration stale();

    /** {@code PURSER_METERED_HEARTBEAT}: how often an instance marks its calls in flight alive. */
    @WithName("heartbeat")
    @WithDefault("15s")
    String heartbeat();
}
