package dev.purser.market;

/**
 * Anything {@link Router} can order and keep statistics for: an offer of a service (a local skill,
 * a remote provider's skill, later a model upstream's model, DESIGN §11).
 */
public interface Routable {

    /** Unique across every kind of offer; the key of its attempts and breaker. */
    String offerId();

    /** What {@code metadata["purser.provider"]} pins. */
    String providerId();

    /** What the caller pays through this offer, atomic units. */
    long price();
}
