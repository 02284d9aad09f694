/**
 * The marketplace: the skills Purser serves and their prices (fail closed: a paid skill always has
 * a price), the remote providers it resells (registered by card URL, stored with Hibernate ORM),
 * the model upstreams it resells per token (DESIGN §11: registered by base URL, read through
 * {@link dev.purser.market.ModelCatalog} as {@link dev.purser.market.ModelOffer}s), the listing
 * that merges them into services with offers, and {@link dev.purser.market.Router}, which orders
 * any offers and keeps their statistics and circuit breakers in PostgreSQL. Invariants: an
 * offer's price = its provider price + fee, never negative; a model call's cost = its rounded-up
 * token cost + the fee on it, exact or an error; offer ids are unique across kinds. Depends on {@code money},
 * {@code crypto}, {@code x402} (the settlement asset), {@code net}, {@code auth} and, for error
 * bodies, {@code boot.HttpErrors}.
 */
package dev.purser.market;
