package dev.purser.billing;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.DrawContext;
import dev.purser.money.Asset;
import java.util.Objects;
import java.util.Optional;

/**
 * One priced piece of work as the paid flow sees it, whatever sold it (an A2A task, later a
 * metered model call) and whoever does it (a local skill, a remote provider): the steps read
 * only this, never a wire format.
 *
 * @param skillId the service bought; checked against the mandate's skills
 * @param amount the quoted price in atomic units of {@code asset}: never more is charged
 * @param asset what the price is counted in
 * @param payer who pays: the x402 payer, or the agent a session key speaks for
 * @param idempotencyKey the draw's key on the envelope (the authorization's nonce for x402)
 * @param mandateId the envelope named by the buyer, unparsed (admission checks its form)
 * @param payment the x402 payment that settles the price; empty when the envelope alone pays
 * @param what what the draw pays for, kept with the reservation
 * @param ap2Chain the AP2 mandate chain the payment came with ({@code <open>~~<closed>}), whose
 *     closed mandate authorizes it in place of the payer being the envelope's agent
 */
public record Purchase(String skillId, long amount, Asset asset, Address payer,
        Bytes32 idempotencyKey, Optional<String> mandateId, Optional<X402Payment> payment,
        DrawContext what, Optional<String> ap2Chain) {

    /** A purchase with no AP2 chain: the payer is the envelope's agent, if any. */
    public Purchase(String skillId, long amount, Asset asset, Address payer,
            Bytes32 idempotencyKey, Optional<String> mandateId, Optional<X402Payment> payment,
            DrawContext what) {
        this(skillId, amount, asset, payer, idempotencyKey, mandateId, payment, what,
                Optional.empty());
    }

    public Purchase {
        Objects.requireNonNull(skillId, "skillId");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(mandateId, "mandateId");
        Objects.requireNonNull(payment, "payment");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(ap2Chain, "ap2Chain");
        if (amount < 0) {
            throw new IllegalArgumentException("a price is not negative");
        }
    }

    /** The task the purchase belongs to, or null. */
    public String taskId() {
        return what.taskId();
    }
}
