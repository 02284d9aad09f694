package dev.purser.market;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service as the listing ({@link MarketResource}) filters, sorts and writes it: a skill service
 * (local and provider offers) or a model (upstream offers, DESIGN §11).
 */
sealed interface ListedService permits ServiceJson.Listed, ModelServiceJson.Listed {

    String id();

    String name();

    String description();

    List<String> tags();

    List<? extends Routable> offers();

    /** The offer a {@code cost} route would pick now; else the cheapest; empty without offers. */
    Optional<? extends Routable> chosen();

    /** Whether any offer can be routed to now. */
    boolean available();

    /** The health of its offers, by offer id (missing: never tried). */
    Map<String, OfferHealth> health();

    /** Whether a call costs anything. */
    boolean paid();

    /** {@code skill} or {@code model}. */
    String kind();
}
