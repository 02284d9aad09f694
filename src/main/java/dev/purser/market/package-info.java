/**
 * The marketplace: the skills Purser serves and their prices (fail closed: a paid skill always has
 * a price), the remote providers it resells (registered by card URL, stored with Hibernate ORM),
 * the listing that merges both into services with offers, and {@link dev.purser.market.Router},
 * which orders a service's offers and keeps their statistics and circuit breakers in PostgreSQL.
 * Invariant: an offer's price = its provider price + fee, never negative. Depends on {@code money},
 * {@code crypto}, {@code x402} (the settlement asset), {@code net}, {@code auth} and, for error
 * bodies, {@code boot.HttpErrors}.
 */
package dev.purser.market;
