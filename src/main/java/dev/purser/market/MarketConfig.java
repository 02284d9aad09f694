package dev.purser.market;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** What Purser offers. */
@ConfigMapping(prefix = "purser")
public interface MarketConfig {

    /** {@code PURSER_DEMO_SKILLS}: list the built-in skills {@code echo} and {@code echo-paid}. */
    @WithName("demo-skills")
    @WithDefault("true")
    boolean demoSkills();

    /** {@code PURSER_CARD_DIR}: the card template folder; the packaged copy when absent. */
    @WithName("card-dir")
    @WithDefault("agent-card")
    String cardDir();
}
