package dev.purser.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.purser.testing.ConformanceProfile;
import dev.purser.testing.Rpc;
import dev.purser.testing.Webhook;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Several events committed together reach a webhook without waiting for the idle poll. The poll is
 * an hour here, so only the worker going on by itself after a delivery can send the second event
 * (it used to wait for the next poll: the TCK's 0.3 push-delivery tests saw the late event of one
 * test arrive in the next one).
 */
@QuarkusTest
@TestProfile(PushBurstTest.HourlyPoll.class)
class PushBurstTest {

    public static class HourlyPoll extends ConformanceProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("purser.push.poll", "1h");
            return m;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static Map<String, Object> message(String prefix) {
        return new HashMap<>(Map.of("role", "ROLE_USER", "messageId", prefix + "-" + UUID.randomUUID(),
                "parts", List.of(Map.of("text", "hi"))));
    }

    @Test
    void eventsOfOneTurnAreDeliveredBackToBack() throws Exception {
        try (Webhook hook = Webhook.start(0)) {
            Rpc rpc = Rpc.v10();
            String id = rpc.call("SendMessage", Map.of("message", message("tck-input-required"),
                    "configuration", Map.of("taskPushNotificationConfig", Map.of("url", hook.url()))))
                    .getString("result.task.id");
            assertEquals("TASK_STATE_INPUT_REQUIRED", hook.next(WAIT).body().at("/task/status/state").asText());

            Map<String, Object> follow = message("tck-complete-task");
            follow.put("taskId", id);
            rpc.call("SendMessage", Map.of("message", follow)); // working and completed, one commit
            List<String> states = hook.until(p -> "TASK_STATE_COMPLETED".equals(
                    p.body().at("/statusUpdate/status/state").asText()), WAIT)
                    .stream().map(p -> p.body().at("/statusUpdate/status/state").asText()).toList();
            assertEquals(List.of("TASK_STATE_WORKING", "TASK_STATE_COMPLETED"), states);
        }
    }
}
