package dev.purser.billing;

import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Refusal;
import dev.purser.mandate.Ap2Payments;
import dev.purser.x402.PaymentPayload;
import dev.purser.x402.PaymentRefusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Step 1 of the paid flow: may this buyer draw on the envelope it names for this purchase? The
 * mandate must be named when the server requires one; it must exist, the payer must be its agent,
 * the price must be in the very asset and network the envelope counts (fail closed), and the
 * skill must be in its scope. Budget and guards are the reservation's: PostgreSQL checks them in
 * the statement that reserves. A payment that comes with an AP2 chain is admitted by the chain
 * instead ({@link Ap2Payments}): the same envelope, the same scope, the closed mandate's
 * checks in place of the payer's identity.
 */
@ApplicationScoped
class Admission {

    sealed interface Result {
    }

    /** Admitted; {@code envelope} is empty for a payment drawn from no mandate. */
    record Admitted(Optional<Envelope> envelope) implements Result {
    }

    record Refused(PaymentRefusal refusal) implements Result {
    }

    private final Envelopes envelopes;
    private final BillingConfig config;
    private final Ap2Payments ap2;

    Admission(Envelopes envelopes, BillingConfig config, Ap2Payments ap2) {
        this.envelopes = envelopes;
        this.config = config;
        this.ap2 = ap2;
    }

    Result admit(Purchase p) {
        if (p.ap2Chain().isPresent()) {
            return admitByChain(p, p.ap2Chain().get());
        }
        if (p.mandateId().isEmpty()) {
            return config.requireMandate()
                    ? refused("mandate_required", "this server takes payments drawn from a registered"
                            + " mandate only: name it in message.metadata." + PaymentGate.MANDATE_KEY)
                    : new Admitted(Optional.empty());
        }
        String rawId = p.mandateId().get();
        if (!Hex.isHex(rawId, 32)) {
            return refused(Refusal.UNKNOWN_MANDATE.code(),
                    PaymentGate.MANDATE_KEY + " must be a mandate id, 0x + 32 bytes of hex");
        }
        Bytes32 id = Bytes32.fromHex(rawId);
        Optional<Envelope> found = envelopes.find(id);
        if (found.isEmpty()) {
            return refused(Refusal.UNKNOWN_MANDATE.code(), "no mandate " + id.hex() + " is registered");
        }
        Envelope envelope = found.get();
        if (!p.payer().equals(envelope.agent())) {
            return refused(Refusal.SIGNATURE_MISMATCH.code(), "the payer " + p.payer()
                    + " is not the mandate's agent " + envelope.agent());
        }
        return inScope(p, envelope);
    }

    /**
     * An AP2 payment: binding, chain and the closed mandate's checks in one step (its nonce is
     * taken for this task), then the envelope's scope like any other. The closed mandate, signed
     * by the mandate's agent key, stands in for the payer being the agent.
     */
    private Result admitByChain(Purchase p, String chain) {
        if (p.payment().isEmpty()) {
            return refused(Refusal.BINDING_MISMATCH.code(), "an AP2 chain binds an x402 payment;"
                    + " this purchase has none");
        }
        Bytes32 id;
        PaymentPayload payload = p.payment().get().payload();
        switch (ap2.admit(chain, p.mandateId(), payload.nonce(), p.amount(), payload.to(),
                p.taskId())) {
            case Ap2Payments.Admitted a -> id = a.mandateId();
            case Ap2Payments.Refused r -> {
                return refused(r.code(), r.message());
            }
        }
        Optional<Envelope> found = envelopes.find(id);
        Result result = found.isEmpty()
                ? refused(Refusal.UNKNOWN_MANDATE.code(), "no envelope " + id.hex())
                : inScope(p, found.get());
        if (result instanceof Refused) {
            withdraw(p);
        }
        return result;
    }

    /**
     * The admitted purchase {@code p} was refused before it paid anything: an AP2 closed
     * mandate's nonce, taken at admission, is given back.
     */
    void withdraw(Purchase p) {
        p.ap2Chain().ifPresent(chain -> ap2.release(chain, p.taskId()));
    }

    /** The price in the envelope's asset and the skill in its scope. */
    private Result inScope(Purchase p, Envelope envelope) {
        Bytes32 id = envelope.id();
        if (!p.asset().isToken(envelope.asset().lowerHex())
                || !p.asset().network().equals(envelope.network())) {
            return refused("asset_mismatch", "the price is in " + p.asset().address() + " on "
                    + p.asset().network() + ", the mandate's budget in " + envelope.asset() + " on "
                    + envelope.network());
        }
        List<String> skills = envelopes.skills(id).orElse(List.of());
        if (!skills.isEmpty() && !skills.contains(p.skillId())) {
            return refused("skill_not_allowed", "the mandate does not cover skill " + p.skillId()
                    + " (it allows " + String.join(", ", skills) + ")");
        }
        return new Admitted(Optional.of(envelope));
    }

    private static Refused refused(String code, String detail) {
        return new Refused(PaymentRefusals.mandateRefused(code, detail));
    }
}
