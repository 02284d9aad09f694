/**
 * Delegation (DESIGN §9): a marketplace service that a remote A2A provider offers is bought from
 * Purser like a local skill and done by the provider. {@code DelegatingExecutor} routes the task
 * ({@code market.Router}), quotes the chosen offer's price, and sells it through the same paid flow
 * as a local skill ({@code billing.PaymentGate} → {@code billing.PaidFlow}) with a
 * {@code RemoteWork} that calls the providers in route order ({@code a2a.client}), pays each one's
 * x402 ask from the operator key only up to its listed price and at most once per task and
 * provider, relays its events, and fails over within the quoted price. {@code ResultCache} answers
 * a caller's repeat from the answers it kept ({@code CacheStore}, table {@code delegation_cache}),
 * keyed by {@code CacheKey}. Depends on {@code billing},
 * {@code task}, {@code market}, {@code a2a.client}, {@code x402} and {@code crypto}.
 */
package dev.purser.delegation;
