package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.SdJwt;
import dev.purser.ledger.ClosedMandates;
import dev.purser.ledger.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Draws on AP2 mandates: the chain {@code <open mandate>~~<closed mandate>} (ap2.md §2.3), or for
 * a child mandate {@code <root>~~<child>~~<closed>}, the hop before the closed one being the
 * registered mandate, the closed one ({@code kb+sd-jwt}, {@code vct: mandate.payment.1}) signed
 * by that hop's {@code cnf.jwk} — the mandate's agent — and bound to it by {@code sd_hash}. The
 * closed mandate must be addressed to this server ({@code aud}), issued within the clock skew
 * ({@code iat}), unexpired ({@code exp}), and carry a {@code nonce} no other closed mandate used.
 * Its {@code payment_amount} (US cents) is the draw in USDC atomic units (1 cent = 10^4), its
 * payee must be one the mandate allows, and the closed JWS itself is the draw's idempotency key.
 */
@ApplicationScoped
class Ap2Draws implements ClosedMandates {

    static final String VCT = "mandate.payment.1";

    /** How far a closed mandate's {@code iat} may be from Purser's clock, either way. */
    static final Duration SKEW = SignedRequests.CLOCK_SKEW;

    private static final int MAX_NONCE_CHARS = 512;

    private final MandateRegistry registry;
    private final Ap2Nonces nonces;
    private final Ap2Audience audience;
    private final Clock clock;

    Ap2Draws(MandateRegistry registry, Ap2Nonces nonces, Ap2Audience audience) {
        this.registry = registry;
        this.nonces = nonces;
        this.audience = audience;
        this.clock = Clock.systemUTC();
    }

    /** A verdict, with the closed mandate's nonce when it was accepted. */
    record Inspected(Verdict verdict, String nonce) {
    }

    @Override
    public Verdict verify(Bytes32 mandateId, String chain) {
        Optional<Mandate> mandate = registry.mandate(mandateId);
        if (mandate.isEmpty()) {
            return new Rejected(Refusal.UNKNOWN_MANDATE, "no registered mandate " + mandateId.hex());
        }
        return take(mandate.get(), chain, null);
    }

    /**
     * The verdict on {@code chain} as a draw on {@code mandate} now, its nonce taken for
     * {@code taskId} (null: a direct draw) if it is accepted.
     */
    Verdict take(Mandate mandate, String chain, String taskId) {
        Inspected inspected = inspect(mandate, chain, clock.instant(), audience.accepted());
        if (inspected.verdict() instanceof Accepted a
                && !nonces.take(mandate.id(), inspected.nonce(), a.key(), taskId)) {
            return new Rejected(Refusal.NONCE_REUSED, "the closed mandate's nonce "
                    + inspected.nonce() + " was used before on this mandate: a closed mandate "
                    + "pays once; sign a new one with a fresh nonce");
        }
        return inspected.verdict();
    }

    @Override
    public void release(Bytes32 key) {
        nonces.release(key, null);
    }

    /** Gives back the nonce {@code chain}'s closed mandate took for {@code taskId}, if any. */
    void release(String chain, String taskId) {
        List<String> hops = SdJwt.splitChain(chain);
        if (!hops.isEmpty()) {
            Ap2Hops.parse(hops.getLast()).ifPresent(closed ->
                    nonces.release(Ap2Hops.id(closed), taskId));
        }
    }

    /** The verdict on {@code chain} as a draw on {@code mandate} at {@code now}. */
    static Verdict check(Mandate mandate, String chain, Instant now, Set<String> audiences) {
        return inspect(mandate, chain, now, audiences).verdict();
    }

    static Inspected inspect(Mandate mandate, String chain, Instant now, Set<String> audiences) {
        if (!(mandate.agent() instanceof Party.P256Key agent)) {
            return malformed("ap2", "the mandate's agent has an Ethereum key: draw with a "
                    + "signed Draw (or its bearer token), not an AP2 closed mandate");
        }
        if (chain.length() > SdJwt.MAX_CHARS) {
            return malformed("ap2", "ap2 is longer than " + SdJwt.MAX_CHARS + " characters");
        }
        List<String> hops = SdJwt.splitChain(chain);
        if (hops.size() < 2) {
            return malformed("ap2", "ap2 must be the open mandate (from its root) and one closed"
                    + " mandate, joined as <open>~~<closed>; it has " + hops.size() + " part(s)");
        }
        Optional<SdJwt> open = Ap2Hops.parse(hops.get(hops.size() - 2));
        Optional<SdJwt> closed = Ap2Hops.parse(hops.getLast());
        if (open.isEmpty() || closed.isEmpty()) {
            return malformed("ap2", "ap2's " + (open.isEmpty() ? "open" : "closed")
                    + " mandate is not a valid SD-JWT");
        }
        // The hop before the closed one is this mandate: its signed JWS is what the id hashes.
        if (!Ap2Hops.id(open.get()).equals(mandate.id())) {
            return rejected(Refusal.SIGNATURE_MISMATCH,
                    "the chain's open mandate is not the mandate drawn on");
        }
        SdJwt draw = closed.get();
        switch (Ap2Hops.link(open.get(), agent, draw, Ap2Hops.TERMINAL)) {
            case LINKED -> {
            }
            case WRONG_TYPE -> {
                return malformed("ap2", "the last hop must be a closed mandate (typ "
                        + Ap2Hops.TERMINAL + ")");
            }
            case WRONG_SIGNER -> {
                return rejected(Refusal.SIGNATURE_MISMATCH, "the closed mandate is not signed"
                        + " (ES256) by the mandate's agent key " + agent.id());
            }
            case UNBOUND -> {
                return rejected(Refusal.SIGNATURE_MISMATCH,
                        "the closed mandate's sd_hash does not bind it to the open mandate");
            }
        }
        JsonNode claims = draw.claims();
        Optional<Inspected> timing = timing(claims, now);
        if (timing.isPresent()) {
            return timing.get();
        }
        if (!addressedTo(claims.path("aud"), audiences)) {
            return rejected(Refusal.AUDIENCE_MISMATCH, "the closed mandate's aud "
                    + claims.path("aud") + " is not this server (the card's receiptSigner, "
                    + "or PURSER_PUBLIC_URL)");
        }
        String nonce = claims.path("nonce").asText("");
        if (!claims.path("nonce").isTextual() || nonce.isEmpty()
                || nonce.length() > MAX_NONCE_CHARS) {
            return malformed("nonce", "the closed mandate's nonce is required (1 to "
                    + MAX_NONCE_CHARS + " characters)");
        }
        return new Inspected(grant(mandate, Ap2Hops.content(draw), draw), nonce);
    }

    /** {@code iat} within the skew of {@code now} either way, and {@code exp}, if any, ahead. */
    private static Optional<Inspected> timing(JsonNode claims, Instant now) {
        JsonNode iat = claims.path("iat");
        if (!iat.isIntegralNumber() || !iat.canConvertToLong()) {
            return Optional.of(malformed("iat", "the closed mandate's iat (unix seconds) is "
                    + "required"));
        }
        Instant issued = Instant.ofEpochSecond(iat.asLong());
        if (issued.isAfter(now.plus(SKEW))) {
            return Optional.of(rejected(Refusal.NOT_YET_VALID, "the closed mandate's iat "
                    + issued + " is ahead of this server's clock by more than " + SKEW));
        }
        if (issued.isBefore(now.minus(SKEW))) {
            return Optional.of(rejected(Refusal.EXPIRED, "the closed mandate was issued at "
                    + issued + ", more than " + SKEW + " ago: sign a fresh one"));
        }
        if (claims.path("exp").canConvertToLong()
                && claims.path("exp").asLong() <= now.getEpochSecond()) {
            return Optional.of(rejected(Refusal.EXPIRED, "the closed mandate has expired (exp)"));
        }
        return Optional.empty();
    }

    private static boolean addressedTo(JsonNode aud, Set<String> audiences) {
        if (aud.isTextual()) {
            return audiences.contains(aud.textValue());
        }
        if (aud.isArray()) {
            for (JsonNode one : aud) {
                if (one.isTextual() && audiences.contains(one.textValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What the closed payment mandate {@code content} grants on {@code mandate}. */
    private static Verdict grant(Mandate mandate, Optional<JsonNode> disclosed, SdJwt draw) {
        JsonNode content = disclosed.orElse(null);
        if (content == null || !VCT.equals(content.path("vct").asText())) {
            return new Malformed("delegate_payload", "the closed mandate must disclose exactly"
                    + " one payment mandate (vct " + VCT + ")");
        }
        String transaction = content.path("transaction_id").asText("");
        if (transaction.isEmpty() || transaction.length() > 512) {
            return new Malformed("transaction_id", "transaction_id is required (1 to 512 chars)");
        }
        JsonNode amount = content.path("payment_amount");
        if (!"USD".equals(amount.path("currency").asText())) {
            return new Malformed("payment_amount.currency", "payment_amount.currency must be"
                    + " USD (1 USD = 1 USDC)");
        }
        if (!amount.path("amount").isIntegralNumber() || amount.path("amount").bigIntegerValue()
                .signum() <= 0) {
            return new Malformed("payment_amount.amount",
                    "payment_amount.amount must be a positive integer of cents");
        }
        BigInteger atomic = amount.path("amount").bigIntegerValue()
                .multiply(Ap2Mandates.ATOMIC_PER_CENT);
        if (atomic.compareTo(Ap2Mandates.LONG_MAX) > 0) {
            return new Malformed("payment_amount.amount",
                    "payment_amount.amount is more than Purser can count");
        }
        String payee = content.path("payee").path("id").asText("");
        if (!mandate.allowedPayees().isEmpty() && !mandate.allowedPayees().contains(payee)) {
            return new Rejected(Refusal.PAYEE_NOT_ALLOWED, "payee " + payee
                    + " is not among the mandate's allowed payees");
        }
        String instrument = content.path("payment_instrument").path("id").asText("");
        if (!mandate.allowedInstruments().isEmpty()
                && !mandate.allowedInstruments().contains(instrument)) {
            return new Rejected(Refusal.INSTRUMENT_NOT_ALLOWED, "payment_instrument.id "
                    + (instrument.isEmpty() ? "(none)" : instrument)
                    + " is not among the mandate's allowed payment instruments");
        }
        return new Accepted(atomic.longValueExact(), Ap2Hops.id(draw), "ap2:" + transaction);
    }

    private static Inspected malformed(String field, String message) {
        return new Inspected(new Malformed(field, message), null);
    }

    private static Inspected rejected(Refusal reason, String message) {
        return new Inspected(new Rejected(reason, message), null);
    }
}
