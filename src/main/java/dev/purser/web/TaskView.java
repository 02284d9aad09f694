package dev.purser.web;

import dev.purser.x402.PaymentMetadata;
import io.quarkus.qute.TemplateExtension;
import java.util.List;
import java.util.Map;

/**
 * The task page's reading of a {@code GetTask} answer (as maps): where the A2A x402 extension puts
 * a payment's status, the price asked and the settlement receipts. Reads the answer only, so the
 * page shows what the API says and nothing else.
 */
@TemplateExtension(namespace = "x402")
public final class TaskView {

    private TaskView() {
    }

    /** {@code metadata} of a message or task, or an empty map. */
    private static Map<?, ?> metadata(Object messageOrTask) {
        return messageOrTask instanceof Map<?, ?> m && m.get("metadata") instanceof Map<?, ?> md
                ? md : Map.of();
    }

    /** The {@code x402.payment.status} a message carries, or null. */
    public static Object paymentStatus(Object message) {
        return metadata(message).get(PaymentMetadata.STATUS);
    }

    /**
     * The amount a payment message names, in USDC with its atomic units: the price a
     * payment-required message asks (x402 v2's {@code amount}, v1's {@code maxAmountRequired}), or
     * the value a payment-submitted message's EIP-3009 authorization signs over; null for others.
     */
    public static String paymentAmount(Object message) {
        Map<?, ?> md = metadata(message);
        if (md.get(PaymentMetadata.REQUIRED) instanceof Map<?, ?> required
                && required.get("accepts") instanceof List<?> accepts && !accepts.isEmpty()
                && accepts.getFirst() instanceof Map<?, ?> offer) {
            Object amount = offer.get("amount") != null ? offer.get("amount")
                    : offer.get("maxAmountRequired");
            return amount == null ? null : human(amount, offer.get("network"), "asked");
        }
        if (md.get(PaymentMetadata.PAYLOAD) instanceof Map<?, ?> payload
                && payload.get("payload") instanceof Map<?, ?> signed
                && signed.get("authorization") instanceof Map<?, ?> authorization
                && authorization.get("value") != null) {
            Object network = payload.get("network") != null ? payload.get("network")
                    : payload.get("accepted") instanceof Map<?, ?> accepted ? accepted.get("network")
                    : null;
            return human(authorization.get("value"), network, "authorized");
        }
        return null;
    }

    private static String human(Object amount, Object network, String what) {
        String on = network == null ? null : network.toString();
        return Units.usdc(amount.toString(), on) + " USDC " + what + " (" + amount + " atomic"
                + (on == null ? "" : " on " + on) + ")";
    }

    /**
     * The metadata that says how the task's payment stands: its status message's (where the x402
     * extension puts it), else the task's own.
     */
    public static Map<?, ?> paymentOf(Map<String, Object> task) {
        Map<?, ?> status = task.get("status") instanceof Map<?, ?> s ? s : Map.of();
        Map<?, ?> fromStatus = metadata(status.get("message"));
        return fromStatus.containsKey(PaymentMetadata.STATUS) ? fromStatus : metadata(task);
    }
}
