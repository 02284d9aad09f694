package dev.purser.a2a.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.testing.Rpc;
import dev.purser.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OwnershipAndListTest {

    @Test
    void aTaskOfOneCallerIsNotFoundForAnother() {
        Rpc alice = Rpc.v10().as("alice-" + UUID.randomUUID());
        Rpc bob = Rpc.v10().as("bob-" + UUID.randomUUID());
        String id = SendAndGetTest.sendNeedingInput(alice);

        assertEquals(id, alice.call("GetTask", Map.of("id", id)).getString("result.id"));
        assertEquals(-32001, bob.call("GetTask", Map.of("id", id)).getInt("error.code"));
        assertEquals(-32001, Rpc.v10().call("GetTask", Map.of("id", id)).getInt("error.code"));
        assertEquals(-32001, bob.call("CancelTask", Map.of("id", id)).getInt("error.code"));
        Map<String, Object> hijack = new HashMap<>(bob.textMessage("mine now"));
        hijack.put("taskId", id);
        assertEquals(-32001, bob.call("SendMessage", Map.of("message", hijack)).getInt("error.code"));
        // still alice's, untouched
        assertEquals("TASK_STATE_INPUT_REQUIRED",
                alice.call("GetTask", Map.of("id", id)).getString("result.status.state"));
    }

    @Test
    void anonymousCallersShareOneIdentityButSeeNoOneElsesTasks() {
        String anonTask = Rpc.v03().call("message/send", Map.of("message", Rpc.v03().textMessage("a")))
                .getString("result.id");
        assertEquals(anonTask, Rpc.v03().call("tasks/get", Map.of("id", anonTask)).getString("result.id"));
        assertEquals(-32001, Rpc.v03().as("carol").call("tasks/get", Map.of("id", anonTask))
                .getInt("error.code"));
    }

    @Test
    void refusedTokensAreUnauthorizedEvenWhenAnonymousIsAllowed() {
        for (String header : List.of(Tokens.expired("x"), Tokens.wrongIssuer("x"),
                Tokens.foreignKey("x"), "Bearer not-a-jwt")) {
            int status = Rpc.v10().withAuthorization(header).request()
                    .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}")
                    .post("/api/a2a").then().extract().statusCode();
            assertEquals(401, status, header);
        }
    }

    @Test
    void listTasksPagesThroughACallersTasksNewestFirst() {
        Rpc rpc = Rpc.v10().as("lister-" + UUID.randomUUID());
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(rpc.call("SendMessage", Map.of("message", rpc.textMessage("t" + i)))
                    .getString("result.task.id"));
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            Map<String, Object> params = new HashMap<>(Map.of("pageSize", 2));
            if (!token.isEmpty()) {
                params.put("pageToken", token);
            }
            JsonPath page = rpc.call("ListTasks", params);
            assertNull(page.get("error"), () -> page.prettify());
            assertEquals(5, page.getInt("result.totalSize"));
            assertEquals(2, page.getInt("result.pageSize"));
            assertTrue(page.getList("result.tasks").size() <= 2);
            assertNull(page.get("result.tasks[0].artifacts"), "artifacts absent unless asked for");
            seen.addAll(page.getList("result.tasks.id"));
            token = page.getString("result.nextPageToken");
            pages++;
        } while (!token.isEmpty() && pages < 10);
        assertEquals(3, pages);
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
    }

    @Test
    void listTasksFiltersByContextAndStateAndShowsArtifactsOnRequest() {
        Rpc rpc = Rpc.v10().as("filter-" + UUID.randomUUID());
        String context = "ctx-" + UUID.randomUUID();
        Map<String, Object> inContext = new HashMap<>(rpc.textMessage("in"));
        inContext.put("contextId", context);
        String done = rpc.call("SendMessage", Map.of("message", inContext)).getString("result.task.id");
        Map<String, Object> waiting = new HashMap<>(rpc.dataMessage());
        waiting.put("contextId", context);
        String open = rpc.call("SendMessage", Map.of("message", waiting)).getString("result.task.id");
        rpc.call("SendMessage", Map.of("message", rpc.textMessage("elsewhere")));

        JsonPath byContext = rpc.call("ListTasks", Map.of("contextId", context, "includeArtifacts", true));
        assertEquals(2, byContext.getInt("result.totalSize"));
        Set<String> ids = new HashSet<>(byContext.getList("result.tasks.id"));
        assertEquals(Set.of(done, open), ids);
        assertEquals("in", byContext.getString("result.tasks.find { it.id == '" + done
                + "' }.artifacts[0].parts[0].text"));

        JsonPath byState = rpc.call("ListTasks", Map.of("context_id", context,
                "status", "TASK_STATE_INPUT_REQUIRED", "history_length", 0));
        assertEquals(List.of(open), byState.getList("result.tasks.id"));
        assertNull(byState.get("result.tasks[0].history"));
        assertEquals("", byState.getString("result.nextPageToken"));
    }
}
