/**
 * Metered model calls (DESIGN §11): an OpenAI-compatible {@code /v1} endpoint paid from an envelope
 * through a session key. Each call is a purchase through the paid-flow pipeline
 * ({@code billing.PaidFlow}): the worst case is reserved before any upstream is asked, the
 * upstream is asked for no more tokens than were reserved, the usage is captured and the rest
 * released. Upstreams are the market's model offers, routed and failed over by its Router.
 */
package dev.purser.metered;
