/**
 * Paid work: the flow of DESIGN §3 as one pipeline, written once in {@code PaidFlow} (admission →
 * envelope hold → payment verification → the seller's {@code PaidWork} → settlement → capture or
 * release), each step a class of its own that knows no wire format; the A2A edge that sells
 * priced skills through it ({@code PaymentGate}); the payments taken for tasks
 * ({@code x402_payment}) and the reconciler of those whose settlement outcome is unknown; the
 * payment terms of priced skills; the facilitator in use. Depends on {@code task}, {@code ledger}
 * (the public {@code Envelopes} API), {@code mandate} (the AP2 chain's admission,
 * {@code Ap2Payments}), {@code market}, {@code x402}, {@code crypto} and
 * {@code money}.
 */
package dev.purser.billing;
