package dev.purser.billing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.ledger.Receipt;
import dev.purser.x402.PaymentMetadata;
import dev.purser.x402.PaymentRefusal;
import dev.purser.x402.PaymentRequirement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The status messages of a paid A2A task in the x402 extension's words (x402.md §6.2): the one
 * place the A2A edge of the paid flow (the gate and the reconciler) writes them.
 */
final class PaidTaskMessages {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PaidTaskMessages() {
    }

    static Message paymentRequired(PaymentRequirement offer, int x402Version) {
        ObjectNode m = meta("payment-required");
        m.set(PaymentMetadata.REQUIRED, offer.paymentRequired(x402Version, "Payment is required"));
        return agent("Payment is required: " + offer.amount() + " atomic units of USDC on "
                + offer.asset().network() + ".", m);
    }

    static Message declined() {
        return agent("The client declined to pay.", meta("payment-rejected"));
    }

    static Message verified() {
        return agent("Payment verified; working.", meta("payment-verified"));
    }

    static Message settling() {
        ObjectNode m = meta("payment-verified");
        m.put(PaymentGate.SETTLEMENT_KEY, "settling");
        return agent("Work done; settling the payment.", m);
    }

    /** True when {@code task} is working with its work stored and its payment about to settle. */
    static boolean isSettling(dev.purser.a2a.spec.Task task) {
        Message m = task.status().message();
        return task.state() == dev.purser.a2a.spec.TaskState.WORKING && m != null
                && m.metadata() != null
                && "settling".equals(m.metadata().path(PaymentGate.SETTLEMENT_KEY).asText(null));
    }

    static Message pending(String reason) {
        ObjectNode m = meta("payment-verified");
        m.put(PaymentGate.SETTLEMENT_KEY, "pending");
        return agent("Settlement outcome unknown (" + reason + "); reconciling by nonce. Do not pay"
                + " again: this payment's outcome will complete the task.", m);
    }

    /** The final status message of a paid task: payment-completed with the receipts. */
    static Message completion(ObjectNode settleResponse, Optional<Receipt> drawn) {
        ObjectNode m = meta("payment-completed");
        ArrayNode receipts = m.putArray(PaymentMetadata.RECEIPTS);
        if (settleResponse != null) {
            receipts.add(settleResponse);
        }
        drawn.ifPresent(r -> m.set(PaymentGate.LEDGER_RECEIPT_KEY, r.toJson()));
        return agent("Payment settled.", m);
    }

    /** The status message of a payment that failed. */
    static Message failure(PaymentRefusal refusal, List<ObjectNode> receipts) {
        ObjectNode m = meta("payment-failed");
        m.put(PaymentMetadata.ERROR, refusal.error().name());
        m.put(PaymentGate.REASON_KEY, refusal.reason());
        ArrayNode r = m.putArray(PaymentMetadata.RECEIPTS);
        receipts.forEach(r::add);
        return agent("Payment failed: " + refusal.detail() + " (" + refusal.reason() + ")", m);
    }

    private static ObjectNode meta(String status) {
        ObjectNode m = F.objectNode();
        m.put(PaymentMetadata.STATUS, status);
        return m;
    }

    private static Message agent(String text, ObjectNode metadata) {
        return new Message(UUID.randomUUID().toString(), Role.AGENT, List.of(Part.text(text)), null,
                null, metadata, List.of(PaymentMetadata.EXTENSION_V02), null);
    }
}
