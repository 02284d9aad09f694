/**
 * Paid tasks: the flow of DESIGN §3 in its order (offer; mandate checks and the envelope
 * reservation; verify and claim the authorization; run; settle; capture; complete), the payments
 * taken for tasks ({@code x402_payment}) and the reconciler of those whose settlement outcome is
 * unknown, the payment terms of priced skills, and the facilitator in use. Depends on
 * {@code task}, {@code ledger} (the public {@code Envelopes} API), {@code market}, {@code x402},
 * {@code crypto} and {@code money}.
 */
package dev.purser.billing;
