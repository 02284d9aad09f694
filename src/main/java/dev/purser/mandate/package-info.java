/**
 * Spending mandates (DESIGN §4, §8): both accepted forms — EIP-712 {@code SpendingMandate}
 * signed with an Ethereum key, and the AP2 v0.2 open payment mandate (ES256 SD-JWT) — validated against
 * {@code mandate-schemas/} and read into one {@link dev.purser.mandate.Mandate}; the checks of
 * meaning (signature, validity window, asset, constraints), the narrowing a child owes its parent
 * ({@link dev.purser.mandate.Delegation}), and the signed revoke and draw requests. Everything
 * here is pure: no storage, no clock but the one passed in; each outcome is a value whose refusal
 * carries a stable reason code, HTTP status and the field at fault. Envelope accounting (what is
 * left of a budget, carving a child out of its parent) belongs to the ledger, which calls in here
 * before it writes. Depends on {@code crypto} and {@code money}; {@link
 * dev.purser.mandate.MandateBeans} alone knows CDI and configuration.
 */
package dev.purser.mandate;
