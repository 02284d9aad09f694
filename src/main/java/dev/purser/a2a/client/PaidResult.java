package dev.purser.a2a.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.Task;
import dev.purser.x402.Payer;
import dev.purser.x402.PaymentMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link PaidSend} came to: the agent's last answer, the payment decision (null when no
 * payment was asked), and the receipts ({@code x402.payment.receipts}) the answer carries.
 */
public record PaidResult(SendResult result, Payer.Payment payment, List<ObjectNode> receipts) {

    public PaidResult {
        receipts = List.copyOf(receipts);
    }

    static PaidResult of(SendResult result, Payer.Payment payment) {
        return new PaidResult(result, payment, receiptsOf(result));
    }

    /** An answer got without paying (a free skill, or no payer at hand), with its receipts. */
    public static PaidResult withoutPayment(SendResult result) {
        return of(result, null);
    }

    /** The task answered, if the agent answered with one. */
    public Optional<Task> task() {
        return result instanceof SendResult.OfTask t ? Optional.of(t.task()) : Optional.empty();
    }

    /** The payment sent, if one was. */
    public Optional<Payer.Signed> paid() {
        return payment instanceof Payer.Signed s ? Optional.of(s) : Optional.empty();
    }

    /** Why the payment asked for was not made, if it was not. */
    public Optional<Payer.Refused> refused() {
        return payment instanceof Payer.Refused r ? Optional.of(r) : Optional.empty();
    }

    /** Receipts in the final status message's metadata, else in the task's metadata. */
    private static List<ObjectNode> receiptsOf(SendResult result) {
        List<ObjectNode> out = new ArrayList<>();
        if (result instanceof SendResult.OfTask t) {
            Task task = t.task();
            JsonNode found = null;
            if (task.status().message() != null && task.status().message().metadata() != null) {
                found = task.status().message().metadata().get(PaymentMetadata.RECEIPTS);
            }
            if (found == null && task.metadata() != null) {
                found = task.metadata().get(PaymentMetadata.RECEIPTS);
            }
            if (found != null && found.isArray()) {
                found.forEach(r -> {
                    if (r.isObject()) {
                        out.add((ObjectNode) r);
                    }
                });
            }
        }
        return out;
    }
}
