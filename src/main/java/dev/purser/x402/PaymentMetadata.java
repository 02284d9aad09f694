package dev.purser.x402;

/**
 * The A2A x402 extension as a client speaks it (x402.md §6): its URIs, the message metadata keys
 * and the payment statuses. Here, below both the paying client and the billing server, so that
 * neither has to depend on the other for them.
 */
public final class PaymentMetadata {

    public static final String STATUS = "x402.payment.status";
    public static final String REQUIRED = "x402.payment.required";
    public static final String PAYLOAD = "x402.payment.payload";
    public static final String RECEIPTS = "x402.payment.receipts";
    public static final String ERROR = "x402.payment.error";

    public static final String PAYMENT_REQUIRED = "payment-required";
    public static final String PAYMENT_SUBMITTED = "payment-submitted";
    public static final String PAYMENT_COMPLETED = "payment-completed";

    /** The URI clients activate (x402.md §6.1); v0.1 is an alias servers accept. */
    public static final String EXTENSION_V02 =
            "https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2";
    /** The v0.1 URI (what the published a2a-x402 Python library activates). */
    public static final String EXTENSION_V01 = "https://github.com/google-a2a/a2a-x402/v0.1";

    private PaymentMetadata() {
    }
}
