package dev.purser.a2a.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Bytes32;
import dev.purser.money.Asset;
import dev.purser.x402.Payer;
import dev.purser.x402.PaymentMetadata;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The client's turn of the x402 standalone flow (x402.md §6.4): send; when the agent answers
 * input-required with {@code x402.payment.status = payment-required}, let the {@link Payer} sign
 * (or refuse) the payment, and send it as {@code payment-submitted} on the same task; answer the
 * final task and its receipts. It pays at most once per call, whatever the agent answers next.
 * The x402 extension is activated on both sends.
 */
public final class PaidSend {

    private final A2aClient client;
    private final Payer payer;

    public PaidSend(A2aClient client, Payer payer) {
        this.client = Objects.requireNonNull(client, "client");
        this.payer = Objects.requireNonNull(payer, "payer");
    }

    /**
     * Sends {@code message} and pays what is asked in {@code asset}, up to {@code maxAmount}
     * atomic units of it, with
     * {@code nonce} ({@link Payer#nonceFor} for a delegated task). With {@code events} null both
     * sends block; otherwise both stream, every event of both turns going to {@code events}
     * (the payment-required status included). Each send has the whole of {@code options}'
     * timeout. A refused payment is not sent: the answer is then the agent's payment-required
     * task with the refusal, for the caller to cancel or abandon.
     */
    public PaidResult send(AgentEndpoint agent, Message message, Asset asset, long maxAmount,
            Bytes32 nonce, CallOptions options, Consumer<StreamEvent> events)
            throws A2aCallException {
        return send(agent, message, asset, maxAmount, nonce, options, events, signed -> true);
    }

    /**
     * As above; {@code beforePaying} sees the signed payment before it is sent and may decline to
     * send it (then the answer carries {@link Payer.Refusal#DECLINED}): where a caller records a
     * payment durably before it can move money.
     */
    public PaidResult send(AgentEndpoint agent, Message message, Asset asset, long maxAmount,
            Bytes32 nonce, CallOptions options, Consumer<StreamEvent> events,
            Predicate<Payer.Signed> beforePaying) throws A2aCallException {
        CallOptions x402 = options.withExtension(PaymentMetadata.EXTENSION_V02);
        SendResult first = call(agent, message, x402, events);
        Optional<JsonNode> required = paymentRequired(first);
        if (required.isEmpty()) {
            return PaidResult.of(first, null);
        }
        Payer.Payment payment = payer.pay(required.get(), asset, maxAmount, nonce);
        if (!(payment instanceof Payer.Signed signed)) {
            return PaidResult.of(first, payment);
        }
        if (!beforePaying.test(signed)) {
            return PaidResult.of(first, new Payer.Refused(Payer.Refusal.DECLINED,
                    "the payment was signed but not sent: the caller declined it"));
        }
        Task task = ((SendResult.OfTask) first).task();
        ObjectNode md = message.metadata() == null ? JsonNodeFactory.instance.objectNode()
                : message.metadata().deepCopy();
        md.put(PaymentMetadata.STATUS, PaymentMetadata.PAYMENT_SUBMITTED);
        md.set(PaymentMetadata.PAYLOAD, signed.payload());
        Message pay = A2aClient.userMessage("x402 payment for task " + task.id(), md)
                .inTask(task.id(), task.contextId());
        return PaidResult.of(call(agent, pay, x402, events), payment);
    }

    /**
     * The payment-required object ({@code {x402Version, accepts}}) when {@code result} is a task
     * waiting for an x402 payment, else empty.
     */
    public static Optional<JsonNode> paymentRequired(SendResult result) {
        if (!(result instanceof SendResult.OfTask t) || t.task().state() != TaskState.INPUT_REQUIRED
                || t.task().status().message() == null
                || t.task().status().message().metadata() == null) {
            return Optional.empty();
        }
        ObjectNode md = t.task().status().message().metadata();
        JsonNode required = md.get(PaymentMetadata.REQUIRED);
        boolean asked = PaymentMetadata.PAYMENT_REQUIRED.equals(
                md.path(PaymentMetadata.STATUS).asText(null));
        return asked && required != null && required.isObject() ? Optional.of(required)
                : Optional.empty();
    }

    private SendResult call(AgentEndpoint agent, Message message, CallOptions options,
            Consumer<StreamEvent> events) throws A2aCallException {
        return events == null ? client.send(agent, message, options)
                : client.stream(agent, message, options, events);
    }
}
