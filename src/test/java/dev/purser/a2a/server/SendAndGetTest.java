package dev.purser.a2a.server;

import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.testing.Rpc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SendAndGetTest {

    @Test
    void messageSendToEchoCompletesWithTheTextAsArtifact() {
        Rpc rpc = Rpc.v03();
        JsonPath r = rpc.call("message/send", Map.of("message", rpc.textMessage("hello 0.3")));
        assertNull(r.get("error"));
        assertEquals("task", r.getString("result.kind"));
        assertEquals("completed", r.getString("result.status.state"));
        assertEquals("hello 0.3", r.getString("result.artifacts[0].parts[0].text"));
        assertEquals("text", r.getString("result.artifacts[0].parts[0].kind"));
        assertEquals("user", r.getString("result.history[0].role"));
        assertEquals(r.getString("result.id"), r.getString("result.history[0].taskId"));
        assertNotNull(r.getString("result.contextId"));
    }

    @Test
    void sendMessageToEchoCompletesWithTheTextAsArtifact() {
        Rpc rpc = Rpc.v10();
        JsonPath r = rpc.call("SendMessage", Map.of("message", rpc.textMessage("hello 1.0")));
        assertNull(r.get("error"));
        assertEquals("TASK_STATE_COMPLETED", r.getString("result.task.status.state"));
        assertEquals("hello 1.0", r.getString("result.task.artifacts[0].parts[0].text"));
        assertNull(r.get("result.task.kind"), "1.0 has no kind discriminator");
        assertEquals("ROLE_USER", r.getString("result.task.history[0].role"));
        assertTrue(r.getString("result.task.status.timestamp").matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z"));
    }

    @Test
    void getTaskHonoursHistoryLengthInBothVersions() {
        for (Rpc rpc : List.of(Rpc.v03(), Rpc.v10())) {
            String id = sendNeedingInput(rpc);
            // a second turn: now there are two user messages in the history
            Map<String, Object> second = new java.util.HashMap<>(rpc.textMessage("second"));
            second.put("taskId", id);
            JsonPath turn = rpc.call(rpc.sendMethod(), Map.of("message", second));
            assertNull(turn.get("error"), () -> turn.prettify());

            JsonPath all = rpc.call(rpc.getMethod(), Map.of("id", id));
            assertEquals(2, all.getList("result.history").size());
            JsonPath one = rpc.call(rpc.getMethod(), Map.of("id", id, "historyLength", 1));
            assertEquals(1, one.getList("result.history").size());
            assertEquals("second", one.getString("result.history[0].parts[0].text"));
            JsonPath none = rpc.call(rpc.getMethod(), Map.of("id", id, "historyLength", 0));
            assertNull(none.get("result.history"), "historyLength 0 omits the history");
            assertEquals(id, none.getString("result.id"));
        }
    }

    @Test
    void sendHonoursHistoryLengthOfItsConfiguration() {
        Rpc rpc = Rpc.v10();
        JsonPath r = rpc.call("SendMessage", Map.of("message", rpc.textMessage("x"),
                "configuration", Map.of("historyLength", 0)));
        assertNull(r.get("result.task.history"));
    }

    @Test
    void aFollowUpContinuesAnInputRequiredTaskToCompletion() {
        Rpc rpc = Rpc.v03();
        String id = sendNeedingInput(rpc);
        Map<String, Object> next = new java.util.HashMap<>(rpc.textMessage("now with text"));
        next.put("taskId", id);
        JsonPath r = rpc.call("message/send", Map.of("message", next));
        assertEquals("completed", r.getString("result.status.state"));
        assertEquals(id, r.getString("result.id"));
        assertEquals("now with text", r.getString("result.artifacts[0].parts[0].text"));
    }

    @Test
    void nonBlockingSendReturnsTheTaskAndItCompletesLater() throws InterruptedException {
        Rpc rpc = Rpc.v10();
        JsonPath r = rpc.call("SendMessage", Map.of("message", rpc.textMessage("later"),
                "configuration", Map.of("returnImmediately", true)));
        String id = r.getString("result.task.id");
        assertNotNull(id);
        String state = null;
        for (int i = 0; i < 100; i++) {
            state = rpc.call("GetTask", Map.of("id", id)).getString("result.status.state");
            if (state.equals("TASK_STATE_COMPLETED")) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals("TASK_STATE_COMPLETED", state);
    }

    @Test
    void cancelEndsANonTerminalTaskAndRefusesATerminalOne() {
        for (Rpc rpc : List.of(Rpc.v03(), Rpc.v10())) {
            String id = sendNeedingInput(rpc);
            JsonPath canceled = rpc.call(rpc.cancelMethod(), Map.of("id", id));
            assertNull(canceled.get("error"), () -> canceled.prettify());
            assertTrue(canceled.getString("result.status.state").matches("canceled|TASK_STATE_CANCELED"));

            JsonPath again = rpc.call(rpc.cancelMethod(), Map.of("id", id));
            assertEquals(-32002, again.getInt("error.code"));

            String done = rpc.call(rpc.sendMethod(), Map.of("message", rpc.textMessage("t")))
                    .getString(rpc.taskPath() + ".id");
            assertEquals(-32002, rpc.call(rpc.cancelMethod(), Map.of("id", done)).getInt("error.code"));
            // and the stored task stayed as it was
            String state = rpc.call(rpc.getMethod(), Map.of("id", done)).getString("result.status.state");
            assertTrue(state.matches("completed|TASK_STATE_COMPLETED"));
        }
    }

    @Test
    void aMessageToATerminalTaskIsUnsupported() {
        Rpc rpc = Rpc.v03();
        String id = rpc.call("message/send", Map.of("message", rpc.textMessage("a")))
                .getString("result.id");
        Map<String, Object> next = new java.util.HashMap<>(rpc.textMessage("b"));
        next.put("taskId", id);
        assertEquals(-32004, rpc.call("message/send", Map.of("message", next)).getInt("error.code"));
    }

    @Test
    void aClientContextIdIsKeptAndAMismatchIsRefused() {
        Rpc rpc = Rpc.v10();
        Map<String, Object> m = new java.util.HashMap<>(rpc.textMessage("ctx"));
        m.put("contextId", "my-context-1");
        JsonPath r = rpc.call("SendMessage", Map.of("message", m));
        assertEquals("my-context-1", r.getString("result.task.contextId"));

        String id = sendNeedingInput(rpc);
        Map<String, Object> wrong = new java.util.HashMap<>(rpc.textMessage("x"));
        wrong.put("taskId", id);
        wrong.put("contextId", "another-context");
        assertEquals(-32602, rpc.call("SendMessage", Map.of("message", wrong)).getInt("error.code"));
    }

    @Test
    void snakeCaseParamsAreAcceptedIn10() {
        Rpc rpc = Rpc.v10();
        String id = sendNeedingInput(rpc);
        JsonPath r = rpc.call("GetTask", Map.of("id", id, "history_length", 0));
        assertNull(r.get("result.history"));
        assertFalse(r.getString("result.id").isEmpty());
    }

    static String sendNeedingInput(Rpc rpc) {
        JsonPath r = rpc.call(rpc.sendMethod(), Map.of("message", rpc.dataMessage()));
        String state = r.getString(rpc.taskPath() + ".status.state");
        assertTrue(state.matches("input-required|TASK_STATE_INPUT_REQUIRED"), state);
        return r.getString(rpc.taskPath() + ".id");
    }
}
