package dev.purser.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.testing.ConformanceProfile;
import dev.purser.testing.Rpc;
import dev.purser.testing.Webhook;
import dev.purser.testing.WebhookSignatures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every push delivery carries {@code X-Purser-Signature}, which a receiver verifies over the exact
 * bytes it got with the key the card publishes (an independent verifier, {@link WebhookSignatures}),
 * and which fails for a changed body. A retried delivery is signed afresh.
 */
@QuarkusTest
@TestProfile(ConformanceProfile.class)
class WebhookSignatureTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void pushDeliveriesAreSignedWithTheCardsKey() throws Exception {
        JsonNode key = WebhookSignatures.cardKey();
        try (Webhook hook = Webhook.start(1)) {
            Rpc.v10().call("SendMessage", Map.of("message", Map.of("role", "ROLE_USER",
                    "messageId", "tck-complete-task-" + UUID.randomUUID(),
                    "parts", List.of(Map.of("text", "sign me"))), "configuration",
                    Map.of("taskPushNotificationConfig", Map.of("url", hook.url()))));
            Webhook.Post failed = hook.next(WAIT); // answered 500
            WebhookSignatures.assertSigned(failed, key);
            WebhookSignatures.assertSigned(hook.next(WAIT), key);
        }
    }
}
