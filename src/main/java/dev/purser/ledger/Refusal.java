package dev.purser.ledger;

import java.util.Locale;

/**
 * Why the ledger refused an operation: a stable reason code (the {@code error} of a REST body,
 * the reason behind {@code MANDATE_REFUSED}) with the HTTP status DESIGN §8 gives it. Refusals are
 * outcomes, never exceptions: a retry with the same input gets the same refusal unless the
 * envelope changed meanwhile.
 */
public enum Refusal {
    /** {@code spent + reserved + amount > budget}. */
    INSUFFICIENT_BUDGET(402, "the envelope's remaining budget is smaller than the amount"),
    /** The amount exceeds the envelope's per-request cap ({@code perTaskMax}). */
    REQUEST_TOO_EXPENSIVE(402, "the amount exceeds the envelope's per-request cap"),
    /** The amount would take the day's (UTC) reserved and spent past the daily cap. */
    DAILY_LIMIT_EXCEEDED(402, "the amount would exceed the envelope's daily cap"),
    /** The agent made more reservations this minute than its rate allows. */
    RATE_LIMITED(429, "too many requests from this agent; retry later"),
    /** The agent holds as many pending reservations as it may. */
    TOO_MANY_CONCURRENT(429, "too many payments in flight for this agent; retry later"),
    /** The same request (envelope, amount, memo) was repeated too often this minute. */
    LOOP_DETECTED(429, "the same request was repeated too often; retry later"),
    REVOKED(422, "the mandate is revoked"),
    EXPIRED(422, "the mandate (or the request) has expired"),
    NOT_YET_VALID(422, "the mandate is not valid yet"),
    /** The key was used before for a different amount. */
    IDEMPOTENCY_KEY_REUSED(422, "the idempotency key was already used for another draw"),
    /** The key's draw is reserved but neither captured nor released yet. */
    IDEMPOTENCY_KEY_IN_FLIGHT(409, "a draw with this idempotency key is still in flight"),
    /** A child's budget does not fit in its parent's remaining budget. */
    BUDGET_EXCEEDS_PARENT(422, "the budget exceeds the parent's remaining budget"),
    /** A child may not outlive, widen or change the asset of its parent. */
    SCOPE_WIDENS_PARENT(422, "the child mandate is wider than its parent"),
    /** The same envelope id was opened before with other terms. */
    CONFLICTING_ENVELOPE(422, "an envelope with this id exists with other terms"),
    SIGNATURE_MISMATCH(422, "the signature is not the mandate agent's"),
    PAYEE_NOT_ALLOWED(422, "the draw's payee is not one the mandate allows"),
    /** An AP2 closed mandate pays with an instrument its open mandate does not allow. */
    INSTRUMENT_NOT_ALLOWED(422, "the draw's payment instrument is not one the mandate allows"),
    /** An AP2 closed mandate's {@code nonce} was used before, by another closed mandate or task. */
    NONCE_REUSED(422, "the closed mandate's nonce was already used"),
    /** An AP2 closed mandate is addressed ({@code aud}) to someone other than this server. */
    AUDIENCE_MISMATCH(422, "the closed mandate is not addressed to this server"),
    /** An x402 payment is not the one its AP2 chain authorizes (nonce, amount or mandate). */
    BINDING_MISMATCH(422, "the payment is not bound to the AP2 mandate chain it came with"),
    /** A policy issued at or before the one in force (the latest {@code issuedAt} holds). */
    POLICY_OUTDATED(409, "a policy issued at or after this one is in force"),
    /** A child's policy may only tighten its parent's limits (daily cap and guards). */
    POLICY_LOOSENS_PARENT(422, "the policy is looser than the parent envelope's"),
    /** A capture larger than the reservation. */
    CAPTURE_EXCEEDS_RESERVATION(422, "the capture exceeds the reserved amount"),
    /** The reservation was released or expired before the capture. */
    RESERVATION_RELEASED(422, "the reservation was already released or expired"),
    /** The reservation was captured before; it cannot be released any more. */
    RESERVATION_CAPTURED(422, "the reservation was already captured"),
    UNKNOWN_MANDATE(404, "no such mandate"),
    /** A refund larger than what the draw captured and was not refunded yet. */
    REFUND_EXCEEDS_CAPTURE(422, "the refund exceeds what the draw captured"),
    /** The draw was spent in a budget period that has since closed. */
    REFUND_PERIOD_CLOSED(422, "the draw belongs to a budget period that has closed"),
    /** Pricing is fail-closed: no known price, no reservation. */
    PRICE_UNKNOWN(422, "the price of the request is unknown"),
    INVALID_AMOUNT(400, "the amount is malformed");

    private final int httpStatus;
    private final String message;

    Refusal(int httpStatus, String message) {
        this.httpStatus = httpStatus;
        this.message = message;
    }

    /** The wire code, e.g. {@code insufficient_budget}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Whether the refusal is about the draw's idempotency key (used, or in flight): then a draw
     * with that key may exist, and what the key stands for is not free again.
     */
    public boolean concernsKey() {
        return this == IDEMPOTENCY_KEY_REUSED || this == IDEMPOTENCY_KEY_IN_FLIGHT;
    }

    public String message() {
        return message;
    }
}
