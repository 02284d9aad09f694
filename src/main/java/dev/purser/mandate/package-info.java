/**
 * Spending mandates (DESIGN §4, §8): both accepted forms — EIP-712 {@code SpendingMandate}
 * signed with an Ethereum key, and the AP2 v0.2 open payment mandate (ES256 SD-JWT) — validated against
 * {@code mandate-schemas/} and read into one {@link dev.purser.mandate.Mandate}; the checks of
 * meaning (signature, validity window, asset, constraints), the narrowing a child owes its parent
 * ({@link dev.purser.mandate.Delegation}) — for AP2 as Delegate SD-JWT chains ({@code Ap2Hops}),
 * whose closed mandates are drawn directly ({@code Ap2Draws}) or bind a paid task's x402 payment
 * ({@link dev.purser.mandate.Ap2Payments}), each closed mandate's nonce used once
 * ({@code ap2_closed_mandate}) — and the signed revoke and draw requests. The
 * verifiers are pure: no storage, no clock but the one passed in; each outcome is a value whose
 * refusal carries a stable reason code, HTTP status and the field at fault. On top of them,
 * {@link dev.purser.mandate.MandateRegistry} (with its REST surface
 * {@link dev.purser.mandate.MandateResource}: register, get, list, revoke) keeps each registered
 * mandate's signed document ({@code mandate_document}) and opens, reads and revokes its envelope
 * through {@code ledger.Envelopes}. {@link dev.purser.mandate.SessionKeys} mints, authenticates
 * and revokes an agent's session keys (DESIGN §11), kept as hashes in {@code session_key}.
 * Envelope accounting (what is left of a budget, carving a child
 * out of its parent, one envelope per id) belongs to the ledger and is enforced by PostgreSQL
 * there, never by a read here. Depends on {@code crypto}, {@code money}, {@code auth} (the
 * session key prefix) and {@code ledger}.
 */
package dev.purser.mandate;
