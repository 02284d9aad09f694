package dev.purser.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.boot.EmbeddedDatabase;
import dev.purser.testing.AppProcess;
import dev.purser.testing.Sse;
import dev.purser.testing.Webhook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged Purser processes on one PostgreSQL: a subscriber on one instance follows a task
 * that runs on the other (LISTEN/NOTIFY + task_event), and a push delivery that could not be made
 * before a kill -9 is made after the restart (the outbox).
 */
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRETS_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static EmbeddedDatabase db;
    private static Path dir;

    @BeforeAll
    static void database() throws IOException {
        dir = Files.createTempDirectory("purser-cluster");
        db = EmbeddedDatabase.start(dir.resolve("db"));
    }

    @AfterAll
    static void stopDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aSubscriberOnOneInstanceSeesATaskRunningOnTheOther() throws Exception {
        int portA = AppProcess.freePort();
        int portB = AppProcess.freePort();
        AppProcess a = start("a", portA);
        AppProcess b = start("b", portB);
        try {
            String base = "http://localhost:" + portA;
            String id = rpc(portA, "SendMessage", Map.of("message", message("tck-input-required", null)))
                    .at("/result/task/id").asText();
            try (Sse sub = Sse.open("http://localhost:" + portB, "1.0", "SubscribeToTask",
                    Map.of("id", id))) {
                assertEquals("TASK_STATE_INPUT_REQUIRED",
                        sub.next(WAIT).at("/result/task/status/state").asText());
                rpc(portA, "SendMessage", Map.of("message", message("tck-complete-task", id)));
                List<JsonNode> rest = sub.rest(WAIT);
                assertEquals(List.of("TASK_STATE_WORKING", "TASK_STATE_COMPLETED"), rest.stream()
                        .map(e -> e.at("/result/statusUpdate/status/state").asText()).toList());
            }

            // A stream's task keeps running on A while B's subscriber follows it live.
            try (Sse stream = Sse.open(base, "1.0", "SendStreamingMessage",
                    Map.of("message", message("test-resubscribe-message-id", null)))) {
                String running = stream.next(WAIT).at("/result/task/id").asText();
                stream.next(WAIT); // working
                try (Sse sub = Sse.open("http://localhost:" + portB, "1.0", "SubscribeToTask",
                        Map.of("id", running))) {
                    assertEquals("TASK_STATE_WORKING", sub.next(WAIT).at("/result/task/status/state").asText());
                    List<JsonNode> rest = sub.rest(WAIT);
                    assertEquals("TASK_STATE_COMPLETED", rest.get(rest.size() - 1)
                            .at("/result/statusUpdate/status/state").asText());
                }
            }
        } finally {
            assertTrue(a.stop(), "stops on SIGTERM");
            assertTrue(b.stop(), "stops on SIGTERM");
        }
    }

    @Test
    void aPushThatCouldNotBeDeliveredBeforeAKillIsDeliveredAfterTheRestart() throws Exception {
        int port = AppProcess.freePort();
        int hookPort = AppProcess.freePort(); // nobody listens there yet: every delivery fails
        AppProcess a = start("push", port);
        String id;
        try {
            id = rpc(port, "SendMessage", Map.of("message", message("tck-input-required", null),
                    "configuration", Map.of("taskPushNotificationConfig", Map.of(
                            "url", "http://localhost:" + hookPort + "/webhook", "token", "after-restart"))))
                    .at("/result/task/id").asText();
            Thread.sleep(500); // at least one attempt fails
        } finally {
            a.kill();
        }
        try (Webhook hook = Webhook.start(0, hookPort)) {
            AppProcess again = start("push", port);
            try {
                Webhook.Post p = hook.next(WAIT);
                assertEquals("after-restart", p.header("X-A2A-Notification-Token"));
                assertEquals(id, p.body().at("/task/id").asText());
            } finally {
                assertTrue(again.stop(), "stops on SIGTERM");
            }
        }
    }

    private static Map<String, Object> message(String prefix, String taskId) {
        Map<String, Object> m = new java.util.HashMap<>(Map.of("role", "ROLE_USER",
                "messageId", prefix + "-" + UUID.randomUUID(), "parts", List.of(Map.of("text", "hi"))));
        if (taskId != null) {
            m.put("taskId", taskId);
        }
        return m;
    }

    /** An instance on the shared database, with its own data directory {@code dir/name}. */
    private static AppProcess start(String name, int port) throws Exception {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        return AppProcess.jar(dir.getFileName() + "-" + name, port)
                .env("PURSER_DATA_DIR", data.toString())
                // push configs are sealed: every instance on the database needs the same key
                .env("PURSER_SECRETS_KEY", SECRETS_KEY)
                .env("PURSER_DB_URL", db.jdbcUrl())
                .env("PURSER_DB_USER", db.user())
                .env("PURSER_DB_PASSWORD", "")
                .env("PURSER_DB_POOL_SIZE", "8")
                .env("PURSER_CONFORMANCE", "true")
                .env("PURSER_PUSH_ALLOW_PRIVATE", "true")
                .env("PURSER_PUSH_BACKOFF", "200ms")
                .env("PURSER_PUSH_MAX_ATTEMPTS", "1000")
                .start();
    }

    private JsonNode rpc(int port, String method, Object params) throws Exception {
        String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method,
                "params", params));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/a2a"))
                .header("Content-Type", "application/json").header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = JSON.readTree(r.body());
        assertTrue(n.get("error") == null, n.toString());
        return n;
    }
}
