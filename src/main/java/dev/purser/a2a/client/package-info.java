/**
 * Outbound A2A: a JSON-RPC client for other agents in either protocol version (cards, blocking and
 * streaming sends, get, cancel, follow-ups), answering in the one model of {@code a2a.spec}, and
 * the paid turn of the x402 extension (send, pay what was asked up to a maximum, send the payment
 * on the same task). Calls fail as values of one checked exception that tells unreachable, timeout,
 * JSON-RPC error and bad answer apart. Depends on {@code a2a.spec}, {@code a2a.v03}, {@code x402},
 * {@code crypto} and the JDK's HTTP client; nothing here needs CDI, so the command line uses it
 * too.
 */
package dev.purser.a2a.client;
