package dev.purser.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskViewTest {

    private static Map<String, Object> message(Map<String, Object> metadata) {
        return Map.of("role", "ROLE_AGENT", "metadata", metadata);
    }

    @Test
    void thePriceAskedIsReadFromV2AmountOrV1MaxAmountRequired() {
        assertEquals("0.01 USDC asked (10000 atomic on eip155:84532)", TaskView.paymentAmount(
                message(Map.of("x402.payment.required", Map.of("accepts", List.of(
                        Map.of("amount", "10000", "network", "eip155:84532")))))));
        assertEquals("1.50 USDC asked (1500000 atomic on base-sepolia)", TaskView.paymentAmount(
                message(Map.of("x402.payment.required", Map.of("accepts", List.of(
                        Map.of("maxAmountRequired", "1500000", "network", "base-sepolia")))))));
    }

    @Test
    void aSubmittedPaymentShowsWhatItsAuthorizationSigns() {
        Map<String, Object> payload = Map.of("x402Version", 1, "network", "eip155:84532",
                "payload", Map.of("authorization", Map.of("value", "700")));
        assertEquals("0.0007 USDC authorized (700 atomic on eip155:84532)",
                TaskView.paymentAmount(message(Map.of("x402.payment.payload", payload))));
        Map<String, Object> v2 = Map.of("x402Version", 2, "accepted", Map.of("network", "eip155:8453"),
                "payload", Map.of("authorization", Map.of("value", "700")));
        assertEquals("0.0007 USDC authorized (700 atomic on eip155:8453)",
                TaskView.paymentAmount(message(Map.of("x402.payment.payload", v2))));
    }

    @Test
    void aMessageWithoutPaymentNamesNoAmountAndNoStatus() {
        assertNull(TaskView.paymentAmount(message(Map.of())));
        assertNull(TaskView.paymentAmount(Map.of("role", "ROLE_USER")));
        assertNull(TaskView.paymentAmount(message(Map.of("x402.payment.required",
                Map.of("accepts", List.of())))));
        assertNull(TaskView.paymentStatus("not a message"));
    }

    @Test
    void aTasksPaymentIsItsStatusMessagesElseItsOwnMetadata() {
        Map<String, Object> inStatus = Map.of("x402.payment.status", "payment-completed");
        assertEquals(inStatus, TaskView.paymentOf(Map.of("status", Map.of("message",
                message(inStatus)), "metadata", Map.of("purser.delegation", Map.of()))));
        Map<String, Object> own = Map.of("x402.payment.status", "payment-required");
        assertEquals(own, TaskView.paymentOf(Map.of("status", Map.of("state", "x"),
                "metadata", own)));
    }
}
