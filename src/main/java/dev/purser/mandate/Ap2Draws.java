package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Es256;
import dev.purser.crypto.SdJwt;
import dev.purser.crypto.Sha256;
import dev.purser.crypto.TokenParse;
import dev.purser.ledger.ClosedMandates;
import dev.purser.ledger.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Draws on AP2 mandates: the chain {@code <open mandate>~~<closed mandate>} (ap2.md §2.3), the
 * open one being the registered mandate, the closed one ({@code kb+sd-jwt},
 * {@code vct: mandate.payment.1}) signed by the open one's {@code cnf.jwk} — the mandate's agent
 * — and bound to it by {@code sd_hash}. Its {@code payment_amount} (US cents) is the draw in USDC
 * atomic units (1 cent = 10^4), its payee must be one the mandate allows, and the closed JWS
 * itself is the draw's idempotency key.
 */
@ApplicationScoped
class Ap2Draws implements ClosedMandates {

    static final String VCT = "mandate.payment.1";

    private final MandateRegistry registry;
    private final Clock clock;

    Ap2Draws(MandateRegistry registry) {
        this.registry = registry;
        this.clock = Clock.systemUTC();
    }

    @Override
    public Verdict verify(Bytes32 mandateId, String chain) {
        return registry.mandate(mandateId)
                .map(m -> check(m, chain, clock.instant()))
                .orElseGet(() -> new Rejected(Refusal.UNKNOWN_MANDATE, "no registered mandate "
                        + mandateId.hex()));
    }

    /** The verdict on {@code chain} as a draw on {@code mandate} at {@code now}. */
    static Verdict check(Mandate mandate, String chain, Instant now) {
        if (!(mandate.agent() instanceof Party.P256Key agent)) {
            return new Malformed("ap2", "the mandate's agent has an Ethereum key: draw with a "
                    + "signed Draw (or its bearer token), not an AP2 closed mandate");
        }
        if (chain.length() > SdJwt.MAX_CHARS) {
            return new Malformed("ap2", "ap2 is longer than " + SdJwt.MAX_CHARS + " characters");
        }
        List<String> hops = SdJwt.splitChain(chain);
        if (hops.size() != 2) {
            return new Malformed("ap2", "ap2 must be the open mandate and one closed mandate,"
                    + " joined as <open>~~<closed>; it has " + hops.size() + " part(s)");
        }
        Optional<SdJwt> open = parse(hops.get(0));
        Optional<SdJwt> closed = parse(hops.get(1));
        if (open.isEmpty() || closed.isEmpty()) {
            return new Malformed("ap2", "ap2's " + (open.isEmpty() ? "open" : "closed")
                    + " mandate is not a valid SD-JWT");
        }
        // The open hop is this mandate: its issuer-signed JWS is what the mandate id hashes.
        if (!Sha256.hash(open.get().jwt().compact().getBytes(StandardCharsets.US_ASCII))
                .equals(mandate.id())) {
            return new Rejected(Refusal.SIGNATURE_MISMATCH,
                    "the chain's open mandate is not the mandate of the URL");
        }
        SdJwt draw = closed.get();
        if (!"kb+sd-jwt".equals(draw.jwt().type())) {
            return new Malformed("ap2", "the second hop must be a closed mandate (typ kb+sd-jwt)");
        }
        if (draw.jwt().verifyEs256(agent.jwk()) != Es256.Verdict.VALID) {
            return new Rejected(Refusal.SIGNATURE_MISMATCH, "the closed mandate is not signed"
                    + " (ES256) by the mandate's agent key " + agent.id());
        }
        JsonNode claims = draw.claims();
        if (!open.get().sdHash().equals(claims.path("sd_hash").asText())) {
            return new Rejected(Refusal.SIGNATURE_MISMATCH,
                    "the closed mandate's sd_hash does not bind it to the open mandate");
        }
        if (claims.path("exp").canConvertToLong()
                && claims.path("exp").asLong() <= now.getEpochSecond()) {
            return new Rejected(Refusal.EXPIRED, "the closed mandate has expired (exp)");
        }
        JsonNode payload = claims.path("delegate_payload");
        JsonNode content = payload.isArray() && payload.size() == 1 ? payload.get(0) : null;
        if (content == null || !content.isObject() || !VCT.equals(content.path("vct").asText())) {
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
        return new Accepted(atomic.longValueExact(),
                Sha256.hash(draw.jwt().compact().getBytes(StandardCharsets.US_ASCII)),
                "ap2:" + transaction);
    }

    private static Optional<SdJwt> parse(String token) {
        return SdJwt.parse(token) instanceof TokenParse.Parsed<SdJwt> p
                ? Optional.of(p.value()) : Optional.empty();
    }
}
