package dev.purser.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.A2aVersion;
import dev.purser.a2a.client.AgentEndpoint;
import dev.purser.a2a.client.CallOptions;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.PushConfig;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendMessageRequest;
import dev.purser.testing.ConformanceProfile;
import dev.purser.testing.Rpc;
import dev.purser.testing.Webhook;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Webhook delivery of task updates and the push-config methods of both versions. */
@QuarkusTest
@TestProfile(ConformanceProfile.class)
class PushNotificationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static Map<String, Object> v10Message(String prefix) {
        return new HashMap<>(Map.of("role", "ROLE_USER", "messageId", prefix + "-" + UUID.randomUUID(),
                "parts", List.of(Map.of("text", "hi"))));
    }

    @Test
    void updatesReachTheWebhookWithTheTokenAndTheAuthorizationHeaderAsStreamResponses()
            throws Exception {
        try (Webhook hook = Webhook.start(0)) {
            Rpc rpc = Rpc.v10();
            JsonPath sent = rpc.call("SendMessage", Map.of("message", v10Message("tck-input-required"),
                    "configuration", Map.of("taskPushNotificationConfig", Map.of("url", hook.url(),
                            "token", "tok-1", "authentication",
                            Map.of("scheme", "Bearer", "credentials", "secret-1")))));
            String id = sent.getString("result.task.id");
            Webhook.Post first = hook.next(WAIT);
            assertEquals("Bearer secret-1", first.header("Authorization"));
            assertEquals("tok-1", first.header("X-A2A-Notification-Token"));
            assertTrue(first.header("Content-Type").startsWith("application/a2a+json"));
            assertEquals(id, first.body().at("/task/id").asText());
            assertEquals(1, first.body().size(), "a StreamResponse has exactly one member");

            Map<String, Object> follow = v10Message("tck-complete-task");
            follow.put("taskId", id);
            rpc.call("SendMessage", Map.of("message", follow));
            List<Webhook.Post> rest = hook.until(p -> "TASK_STATE_COMPLETED".equals(
                    p.body().at("/statusUpdate/status/state").asText()), WAIT);
            rest.forEach(p -> assertEquals("Bearer secret-1", p.header("Authorization")));
        }
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void purserOwnA2aClientRegistersThePushConfigItSendsWithAMessage(A2aVersion version)
            throws Exception {
        try (Webhook hook = Webhook.start(0); A2aClient client = new A2aClient()) {
            AgentEndpoint purser = client.card("http://localhost:" + RestAssured.port,
                    CallOptions.timeout(WAIT)).endpoint(version).orElseThrow();
            Message m = new Message("tck-complete-task-" + UUID.randomUUID(), Role.USER,
                    List.of(Part.text("hi")), null, null, null, null, null);
            PushConfig push = new PushConfig(null, null, hook.url(), "tok-" + version, "Bearer",
                    "cred-" + version);
            client.send(purser, new SendMessageRequest(m, true, null, null, null, push),
                    CallOptions.timeout(WAIT));
            Webhook.Post post = hook.next(WAIT);
            assertEquals("tok-" + version, post.header("X-A2A-Notification-Token"));
            assertEquals("Bearer cred-" + version, post.header("Authorization"));
        }
    }

    @Test
    void aFailedDeliveryIsRetried() throws Exception {
        try (Webhook hook = Webhook.start(1)) {
            Rpc rpc = Rpc.v10();
            String id = rpc.call("SendMessage", Map.of("message", v10Message("tck-input-required")))
                    .getString("result.task.id");
            rpc.call("CreateTaskPushNotificationConfig", Map.of("taskId", id, "id", "c1",
                    "url", hook.url()));
            Map<String, Object> follow = v10Message("tck-complete-task");
            follow.put("taskId", id);
            rpc.call("SendMessage", Map.of("message", follow));
            JsonNode failed = hook.next(WAIT).body(); // answered 500
            JsonNode retried = hook.next(WAIT).body();
            assertEquals(failed, retried, "the same event again");
            hook.until(p -> "TASK_STATE_COMPLETED".equals(
                    p.body().at("/statusUpdate/status/state").asText()), WAIT);
        }
    }

    @Test
    void pushConfigMethodsIn10KeepTheClientIdAndDeleteIdempotently() {
        Rpc rpc = Rpc.v10();
        String id = rpc.call("SendMessage", Map.of("message", v10Message("tck-complete-task")))
                .getString("result.task.id");
        JsonPath created = rpc.call("CreateTaskPushNotificationConfig", Map.of("task_id", id,
                "id", "mine", "url", "https://example.com/hook", "token", "t"));
        assertEquals("mine", created.getString("result.id"));
        assertEquals(id, created.getString("result.taskId"));
        assertEquals("https://example.com/hook",
                rpc.call("GetTaskPushNotificationConfig", Map.of("taskId", id, "id", "mine"))
                        .getString("result.url"));
        assertEquals(List.of("mine"), rpc.call("ListTaskPushNotificationConfigs",
                Map.of("taskId", id)).getList("result.configs.id"));
        for (int i = 0; i < 2; i++) {
            JsonPath del = rpc.call("DeleteTaskPushNotificationConfig", Map.of("taskId", id, "id", "mine"));
            assertNull(del.get("error"));
            assertEquals(Map.of(), del.getMap("result"));
        }
        assertEquals(-32001, rpc.call("GetTaskPushNotificationConfig",
                Map.of("taskId", id, "id", "mine")).getInt("error.code"));
    }

    @Test
    void pushConfigMethodsIn03UseTheTaskIdAsDefaultIdAndDeliverTheWholeTask() throws Exception {
        try (Webhook hook = Webhook.start(0)) {
            Rpc rpc = Rpc.v03();
            Map<String, Object> m = Map.of("kind", "message", "role", "user",
                    "messageId", "x-" + UUID.randomUUID(), "parts", List.of(Map.of("kind", "text", "text", "a")));
            String id = rpc.call("message/send", Map.of("message", m)).getString("result.id");
            JsonPath set = rpc.call("tasks/pushNotificationConfig/set", Map.of("taskId", id,
                    "pushNotificationConfig", Map.of("url", hook.url(), "token", "t03",
                            "authentication", Map.of("schemes", List.of("Bearer"), "credentials", "c03"))));
            assertEquals(id, set.getString("result.pushNotificationConfig.id"));
            assertEquals(hook.url(), rpc.call("tasks/pushNotificationConfig/get",
                    Map.of("id", id, "pushNotificationConfigId", "default"))
                    .getString("result.pushNotificationConfig.url"));
            assertEquals(1, rpc.call("tasks/pushNotificationConfig/list", Map.of("id", id))
                    .getList("result").size());
            assertEquals("canceled", rpc.call("tasks/cancel", Map.of("id", id))
                    .getString("result.status.state"));
            Webhook.Post p = hook.next(WAIT);
            assertEquals("task", p.body().get("kind").asText());
            assertEquals("canceled", p.body().at("/status/state").asText());
            assertEquals("t03", p.header("X-A2A-Notification-Token"));
            assertEquals("Bearer c03", p.header("Authorization"));
            JsonPath del = rpc.call("tasks/pushNotificationConfig/delete",
                    Map.of("id", id, "pushNotificationConfigId", id));
            assertNull(del.get("error"));
            assertNull(del.get("result"));
        }
    }
}
