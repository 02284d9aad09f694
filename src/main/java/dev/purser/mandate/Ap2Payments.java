package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Keccak256;
import dev.purser.crypto.SdJwt;
import dev.purser.ledger.ClosedMandates;
import dev.purser.ledger.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The AP2 side of a paid task's admission (the v0.2 x402 binding, ap2.md §2.3): the task's x402
 * payment comes with its AP2 chain, {@code <open>~~<closed>} (a child mandate's from its root),
 * and the payment is the chain's only if its EIP-3009 {@code nonce} is
 * {@code keccak256(utf8(chain))} — what AP2's sample PSP checks as "Hash(Mandate) == Nonce" —
 * and it pays exactly the closed mandate's amount. Then the chain is checked as any closed
 * mandate is ({@link Ap2Draws}), its nonce taken for the task, and the mandate it draws on is
 * the one the payment is admitted to: the envelope is then held, captured or released exactly
 * as an EIP-712 mandate's is. The closed mandate, signed by the mandate's agent key, is the
 * agent's authority here; the x402 payer may be any wallet (an AP2 agent key is P-256 and
 * cannot sign EIP-3009). What the closed mandate says it pays with must be this payment: its
 * {@code payment_instrument.type} {@code x402}, and the instrument's {@code payee_address}, if
 * it names one (AP2's x402 sample does), the authorization's {@code to}.
 */
@ApplicationScoped
public class Ap2Payments {

    /** Where the chain travels: the v0.2 samples' key for the payment mandate SD-JWT. */
    public static final String CHAIN_KEY = "ap2.mandates.PaymentMandateSdJwt";

    /** The outcome of admitting a payment by its chain. */
    public sealed interface Verdict permits Admitted, Refused {
    }

    /** @param mandateId the mandate whose envelope the payment draws */
    public record Admitted(Bytes32 mandateId) implements Verdict {
    }

    /** @param code the stable reason code (DESIGN §8, README), e.g. {@code binding_mismatch} */
    public record Refused(String code, String message) implements Verdict {
    }

    private final MandateRegistry registry;
    private final MandateVerifier verifier;
    private final Ap2Draws draws;

    Ap2Payments(MandateRegistry registry, MandateVerifier verifier, Ap2Draws draws) {
        this.registry = registry;
        this.verifier = verifier;
        this.draws = draws;
    }

    /** The AP2 instrument type of an x402 payment (AP2's x402 sample, ap2.md §3). */
    static final String X402_INSTRUMENT = "x402";

    /**
     * Admits a payment of {@code amount} atomic units to {@code payTo} whose authorization nonce
     * is {@code paymentNonce}, for task {@code taskId}, by {@code chain}; {@code named} is the
     * mandate id the buyer named, if any, which must be the chain's. An admitted chain's nonce is
     * taken for the task: give it back ({@link #release}) if the purchase is refused later.
     */
    public Verdict admit(String chain, Optional<String> named, Bytes32 paymentNonce,
            long amount, Address payTo, String taskId) {
        if (chain.length() > SdJwt.MAX_CHARS) {
            return refused(Refusal.BINDING_MISMATCH.code(), CHAIN_KEY + " is longer than "
                    + SdJwt.MAX_CHARS + " characters");
        }
        if (!Keccak256.hash(chain.getBytes(StandardCharsets.UTF_8)).equals(paymentNonce)) {
            return refused(Refusal.BINDING_MISMATCH.code(), "the payment's authorization nonce "
                    + paymentNonce.hex() + " is not keccak256 of the AP2 chain it came with");
        }
        List<String> hops = SdJwt.splitChain(chain);
        Optional<SdJwt> open = hops.size() < 2 ? Optional.empty()
                : Ap2Hops.parse(hops.get(hops.size() - 2));
        if (open.isEmpty()) {
            return refused("invalid", CHAIN_KEY + " must be <open mandate>~~<closed mandate>,"
                    + " each a valid SD-JWT");
        }
        Bytes32 id = Ap2Hops.id(open.get());
        if (named.isPresent() && !named.get().equalsIgnoreCase(id.hex())) {
            return refused(Refusal.BINDING_MISMATCH.code(), "the named mandate " + named.get()
                    + " is not the chain's open mandate " + id.hex());
        }
        Optional<Mandate> mandate = registry.mandate(id);
        if (mandate.isEmpty()) {
            return unregistered(String.join("~", hops.subList(0, hops.size() - 1)), id);
        }
        Optional<String> unbound = Ap2Hops.parse(hops.getLast()).flatMap(Ap2Hops::content)
                .flatMap(closed -> instrumentMismatch(closed.path("payment_instrument"), payTo));
        if (unbound.isPresent()) {
            return refused(Refusal.BINDING_MISMATCH.code(), unbound.get());
        }
        return switch (draws.take(mandate.get(), chain, taskId)) {
            case ClosedMandates.Malformed m -> refused("invalid", m.field() + ": " + m.message());
            case ClosedMandates.Rejected r -> refused(r.reason().code(), r.message());
            case ClosedMandates.Accepted a when a.amount() != amount -> {
                draws.release(chain, taskId);
                yield refused(Refusal.BINDING_MISMATCH.code(), "the closed mandate pays "
                        + a.amount() + " atomic units, the payment " + amount);
            }
            case ClosedMandates.Accepted a -> new Admitted(id);
        };
    }

    /**
     * Gives back the nonce {@code chain}'s closed mandate took for {@code taskId}: the purchase
     * was refused after admission (scope, budget, guards, the payment's own checks) and paid
     * nothing, so the agent may present the same closed mandate again.
     */
    public void release(String chain, String taskId) {
        draws.release(chain, taskId);
    }

    /** Why {@code instrument} is not the x402 payment to {@code payTo}, if it is not. */
    private static Optional<String> instrumentMismatch(JsonNode instrument, Address payTo) {
        String type = instrument.path("type").asText("");
        if (!X402_INSTRUMENT.equals(type)) {
            return Optional.of("the closed mandate pays with payment_instrument.type "
                    + (type.isEmpty() ? "(none)" : type) + "; this payment is "
                    + X402_INSTRUMENT);
        }
        JsonNode payee = instrument.path("payee_address");
        if (payee.isMissingNode() || payee.isNull()) {
            return Optional.empty();
        }
        return Address.parse(payee.asText()).filter(payTo::equals).isPresent() ? Optional.empty()
                : Optional.of("the closed mandate's payment_instrument.payee_address "
                        + payee.asText() + " is not the payment's recipient " + payTo);
    }

    /**
     * Why the chain's open mandate {@code id} cannot be drawn on: what registering it would be
     * refused for (an unknown constraint, say), else that it was never registered.
     */
    private Verdict unregistered(String open, Bytes32 id) {
        String body = JsonNodeFactory.instance.objectNode().put("sdJwt", open).toString();
        // "invalid" may be only what a registration body adds (issuerJwk for a kid-only issuer).
        if (verifier.verify(body) instanceof MandateCheck.Refused r
                && r.refusal().reason() != MandateRefusal.Reason.INVALID) {
            return refused(r.refusal().code(), "the chain's open mandate would be refused: "
                    + r.refusal().message());
        }
        return refused(Refusal.UNKNOWN_MANDATE.code(), "the chain's open mandate " + id.hex()
                + " is not registered: POST it to /api/a2a/mandates first");
    }

    private static Verdict refused(String code, String message) {
        return new Refused(code, message);
    }
}
