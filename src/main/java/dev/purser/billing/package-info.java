/**
 * Paid tasks: the flow of DESIGN §3 in its order (offer, verify, claim, run, settle, complete),
 * the payment terms of priced skills, and the facilitator in use. Depends on {@code task},
 * {@code market}, {@code x402}, {@code crypto} and {@code money}.
 */
package dev.purser.billing;
