package dev.purser.billing;

import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.Refusal;
import dev.purser.x402.PaymentRefusal;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Step 1 of the paid flow: may this buyer draw on the envelope it names for this purchase? The
 * mandate must be named when the server requires one; it must exist, the payer must be its agent,
 * the price must be in the very asset and network the envelope counts (fail closed), and the
 * skill must be in its scope. Budget and guards are the reservation's: PostgreSQL checks them in
 * the statement that reserves.
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

    Admission(Envelopes envelopes, BillingConfig config) {
        this.envelopes = envelopes;
        this.config = config;
    }

    Result admit(Purchase p) {
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
        return new Admitted(found);
    }

    private static Refused refused(String code, String detail) {
        return new Refused(PaymentRefusals.mandateRefused(code, detail));
    }
}
