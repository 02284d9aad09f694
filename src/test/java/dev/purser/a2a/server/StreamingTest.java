package dev.purser.a2a.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.testing.ConformanceProfile;
import dev.purser.testing.Rpc;
import dev.purser.testing.Sse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** SSE streams of both versions, driven by the conformance executor's scenarios. */
@QuarkusTest
@TestProfile(ConformanceProfile.class)
class StreamingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static Map<String, Object> v10Message(String messageId) {
        return Map.of("role", "ROLE_USER", "messageId", messageId + "-" + UUID.randomUUID(),
                "parts", List.of(Map.of("text", "hi")));
    }

    private static Map<String, Object> v03Message(String messageId) {
        return Map.of("kind", "message", "role", "user", "messageId",
                messageId + "-" + UUID.randomUUID(), "parts", List.of(Map.of("kind", "text", "text", "hi")));
    }

    @Test
    void aStreamIn10SendsTheTaskThenUpdatesInOrderAndClosesAfterTheTerminalState() {
        try (Sse sse = Sse.open("1.0", "SendStreamingMessage",
                Map.of("message", v10Message("tck-stream-001")))) {
            assertTrue(sse.contentType().startsWith("text/event-stream"), sse.contentType());
            List<JsonNode> events = sse.rest(WAIT);
            assertEquals(4, events.size(), events.toString());
            events.forEach(e -> {
                assertEquals("2.0", e.get("jsonrpc").asText());
                assertEquals(7, e.get("id").asInt());
                assertEquals(1, e.get("result").size(), "exactly one StreamResponse member: " + e);
            });
            JsonNode task = events.get(0).at("/result/task");
            assertEquals("TASK_STATE_SUBMITTED", task.at("/status/state").asText());
            String id = task.get("id").asText();
            assertEquals("TASK_STATE_WORKING", events.get(1).at("/result/statusUpdate/status/state").asText());
            JsonNode art = events.get(2).at("/result/artifactUpdate");
            assertEquals(id, art.get("taskId").asText());
            assertEquals("Stream hello from TCK", art.at("/artifact/parts/0/text").asText());
            assertTrue(art.get("lastChunk").asBoolean());
            JsonNode done = events.get(3).at("/result/statusUpdate");
            assertEquals("TASK_STATE_COMPLETED", done.at("/status/state").asText());
            assertNull(done.get("final"), "1.0 has no final flag: the stream closes");
            assertNull(task.get("kind"));
        }
    }

    @Test
    void aStreamIn03CarriesKindsAndFinalOnlyOnTheLastStatusUpdate() {
        try (Sse sse = Sse.open(null, "message/stream", Map.of("message", v03Message("tck-stream-001")))) {
            List<JsonNode> events = sse.rest(WAIT);
            List<String> kinds = events.stream().map(e -> e.at("/result/kind").asText()).toList();
            assertEquals(List.of("task", "status-update", "artifact-update", "status-update"), kinds);
            assertEquals("submitted", events.get(0).at("/result/status/state").asText());
            assertFalse(events.get(1).at("/result/final").asBoolean());
            assertEquals("working", events.get(1).at("/result/status/state").asText());
            assertEquals("text", events.get(2).at("/result/artifact/parts/0/kind").asText());
            assertTrue(events.get(3).at("/result/final").asBoolean());
            assertEquals("completed", events.get(3).at("/result/status/state").asText());
        }
    }

    @Test
    void chunkedArtifactsCarryAppendAndLastChunk() {
        try (Sse sse = Sse.open("1.0", "SendStreamingMessage",
                Map.of("message", v10Message("tck-stream-artifact-chunked")))) {
            List<JsonNode> chunks = sse.rest(WAIT).stream()
                    .map(e -> e.at("/result/artifactUpdate")).filter(n -> !n.isMissingNode()).toList();
            assertEquals(2, chunks.size());
            assertEquals(chunks.get(0).at("/artifact/artifactId"), chunks.get(1).at("/artifact/artifactId"));
            assertTrue(chunks.get(0).get("append").asBoolean());
            assertNull(chunks.get(0).get("lastChunk"));
            assertTrue(chunks.get(1).get("lastChunk").asBoolean());
        }
    }

    @Test
    void aDirectMessageIsTheOnlyEventOfItsStream() {
        try (Sse sse = Sse.open("1.0", "SendStreamingMessage",
                Map.of("message", v10Message("tck-message-response")))) {
            List<JsonNode> events = sse.rest(WAIT);
            assertEquals(1, events.size());
            assertEquals("Direct message response", events.get(0).at("/result/message/parts/0/text").asText());
        }
    }

    @Test
    void resubscribingToARunningTaskStartsWithTheTaskAndEndsWithItsEnd() {
        String id;
        try (Sse first = Sse.open("1.0", "SendStreamingMessage",
                Map.of("message", v10Message("test-resubscribe-message-id")))) {
            id = first.next(WAIT).at("/result/task/id").asText();
            assertEquals("TASK_STATE_WORKING", first.next(WAIT).at("/result/statusUpdate/status/state").asText());
        } // the client hangs up while the task works on
        try (Sse again = Sse.open("1.0", "SubscribeToTask", Map.of("id", id))) {
            List<JsonNode> events = again.rest(WAIT);
            assertEquals(id, events.get(0).at("/result/task/id").asText());
            assertEquals("TASK_STATE_WORKING", events.get(0).at("/result/task/status/state").asText());
            assertEquals("TASK_STATE_COMPLETED",
                    events.get(events.size() - 1).at("/result/statusUpdate/status/state").asText());
        }
    }

    @Test
    void aClientThatDisconnectsDoesNotStopTheTask() throws Exception {
        String id;
        try (Sse sse = Sse.open(null, "message/stream",
                Map.of("message", v03Message("test-resubscribe-message-id")))) {
            id = sse.next(WAIT).at("/result/id").asText();
        }
        Rpc rpc = Rpc.v03();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline && !state.equals("completed")) {
            Thread.sleep(200);
            state = rpc.call("tasks/get", Map.of("id", id)).getString("result.status.state");
        }
        assertEquals("completed", state);
    }

    @Test
    void twoConcurrentSubscribersGetIdenticalEventsAndStayOpenUntilTheTaskEnds() throws Exception {
        Rpc rpc = Rpc.v10();
        String id = rpc.call("SendMessage", Map.of("message", v10Message("tck-input-required")))
                .getString("result.task.id");
        try (Sse a = Sse.open("1.0", "SubscribeToTask", Map.of("id", id));
                Sse b = Sse.open("1.0", "SubscribeToTask", Map.of("id", id))) {
            CompletableFuture<List<JsonNode>> ea = CompletableFuture.supplyAsync(() -> a.rest(WAIT));
            CompletableFuture<List<JsonNode>> eb = CompletableFuture.supplyAsync(() -> b.rest(WAIT));
            Thread.sleep(300);
            Map<String, Object> follow = new HashMap<>(v10Message("tck-complete-task"));
            follow.put("taskId", id);
            assertNull(rpc.call("SendMessage", Map.of("message", follow)).get("error"));
            List<JsonNode> la = ea.get();
            List<JsonNode> lb = eb.get();
            assertEquals(la, lb);
            assertEquals("TASK_STATE_INPUT_REQUIRED", la.get(0).at("/result/task/status/state").asText());
            List<String> states = new ArrayList<>();
            la.forEach(e -> states.add(e.at("/result/statusUpdate/status/state").asText()));
            assertEquals(List.of("", "TASK_STATE_WORKING", "TASK_STATE_COMPLETED"), states);
        }
    }

    @Test
    void subscribingToATerminalTaskIsAPlainJsonUnsupportedOperationIn10() {
        String id = Rpc.v10().call("SendMessage", Map.of("message", v10Message("tck-complete-task")))
                .getString("result.task.id");
        try (Sse sse = Sse.open("1.0", "SubscribeToTask", Map.of("id", id))) {
            assertTrue(sse.contentType().startsWith("application/json"), sse.contentType());
            assertEquals(-32004, sse.json().at("/error/code").asInt());
        }
    }

    @Test
    void resubscribingToAnUnknownTaskIn03IsAStreamWhoseFirstEventIsTheError() {
        try (Sse sse = Sse.open(null, "tasks/resubscribe", Map.of("id", "no-such-task"))) {
            assertTrue(sse.contentType().startsWith("text/event-stream"), sse.contentType());
            JsonNode e = sse.next(WAIT);
            assertEquals(-32001, e.at("/error/code").asInt());
            assertTrue(e.at("/error/message").asText().toLowerCase().contains("not found"));
            assertNull(sse.next(WAIT));
        }
    }

    @Test
    void aFollowUpToATerminalTaskIsRefused() {
        Rpc rpc = Rpc.v10();
        String id = rpc.call("SendMessage", Map.of("message", v10Message("tck-complete-task")))
                .getString("result.task.id");
        Map<String, Object> follow = new HashMap<>(v10Message("tck-complete-task"));
        follow.put("taskId", id);
        assertEquals(-32004, rpc.call("SendMessage", Map.of("message", follow)).getInt("error.code"));
    }
}
