package dev.purser.billing;

/** The metadata keys of the A2A x402 extension (x402.md §6.2) and its URIs (§6.1). */
public final class X402Metadata {

    public static final String STATUS = "x402.payment.status";
    public static final String REQUIRED = "x402.payment.required";
    public static final String PAYLOAD = "x402.payment.payload";
    public static final String RECEIPTS = "x402.payment.receipts";
    public static final String ERROR = "x402.payment.error";

    public static final String EXTENSION_V02 =
            "https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2";
    public static final String EXTENSION_V01 = "https://github.com/google-a2a/a2a-x402/v0.1";

    private X402Metadata() {
    }
}
