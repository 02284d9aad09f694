package dev.purser.market;

import java.util.Locale;
import java.util.Optional;

/**
 * How {@link Router} orders a service's offers ({@code metadata["purser.route"]}, DESIGN §9):
 * {@code cost} cheapest first (the default), {@code speed} lowest p50 latency first,
 * {@code quality} highest success rate first, {@code balanced} the best sum of the three ranks.
 */
public enum RouteMode {
    COST, SPEED, QUALITY, BALANCED;

    public static Optional<RouteMode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (RouteMode m : values()) {
            if (m.name().equalsIgnoreCase(text.strip())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
