package dev.purser.a2a.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.testing.Rpc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every error the dispatcher can produce, with the id it echoes and the data it carries. */
@QuarkusTest
class JsonRpcErrorsTest {

    private static JsonPath raw(Rpc rpc, String body) {
        String text = rpc.post(body).then().statusCode(200).contentType("application/json")
                .extract().asString();
        assertTrue(!text.contains("Exception") && !text.contains("\tat "), text);
        return JsonPath.from(text);
    }

    @Test
    void unparseableJsonIsAParseErrorWithNullId() {
        JsonPath r = raw(Rpc.v03(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        assertEquals(-32700, r.getInt("error.code"));
        assertNull(r.get("id"));
        assertEquals(-32700, raw(Rpc.v10(), "").getInt("error.code"));
    }

    @Test
    void invalidEnvelopesAreInvalidRequests() {
        Rpc rpc = Rpc.v03();
        JsonPath batch = raw(rpc, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\"}]");
        assertEquals(-32600, batch.getInt("error.code"));
        assertNull(batch.get("id"));
        JsonPath noId = raw(rpc,
                "{\"jsonrpc\":\"2.0\",\"method\":\"tasks/get\",\"params\":{\"id\":\"x\"}}");
        assertEquals(-32600, noId.getInt("error.code"));
        assertNull(noId.get("id"));
        JsonPath badVersion = raw(rpc, "{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"tasks/get\"}");
        assertEquals(-32600, badVersion.getInt("error.code"));
        assertEquals(7, badVersion.getInt("id"));
        JsonPath noMethod = raw(rpc, "{\"jsonrpc\":\"2.0\",\"id\":\"a\"}");
        assertEquals(-32600, noMethod.getInt("error.code"));
        assertEquals("a", noMethod.getString("id"));
        JsonPath objectId = raw(rpc, "{\"jsonrpc\":\"2.0\",\"id\":{\"bad\":1},\"method\":\"tasks/get\"}");
        assertEquals(-32600, objectId.getInt("error.code"));
        // without an id, the more specific error still comes first
        assertEquals(-32601, raw(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"message/ssend\"}")
                .getInt("error.code"));
        assertEquals(-32602, raw(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"message/send\","
                + "\"params\":{\"\":\"not_a_dict\"}}").getInt("error.code"));
        JsonPath scalar = raw(rpc, "42");
        assertEquals(-32600, scalar.getInt("error.code"));
    }

    @Test
    void aNonJsonContentTypeIsContentTypeNotSupported() {
        String text = Rpc.v10().request().contentType("text/plain")
                .body("{'jsonrpc': '2.0', 'method': 'SendMessage'}").post("/api/a2a")
                .then().statusCode(200).extract().asString();
        JsonPath r = JsonPath.from(text);
        assertEquals(-32005, r.getInt("error.code"));
        assertEquals("CONTENT_TYPE_NOT_SUPPORTED", r.getString("error.data[0].reason"));
    }

    @Test
    void theEndpointAnswersWithATrailingSlashToo() {
        JsonPath r = JsonPath.from(Rpc.v10().request()
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}")
                .post("/api/a2a/").then().statusCode(200).extract().asString());
        assertEquals(-32001, r.getInt("error.code"));
    }

    @Test
    void anOversizedBodyIsRefusedWithAJsonRpcError() {
        String big = "x".repeat(A2aResource.MAX_BODY_BYTES + 10);
        JsonPath r = raw(Rpc.v03(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\","
                + "\"params\":{\"pad\":\"" + big + "\"}}");
        assertEquals(-32600, r.getInt("error.code"));
        assertTrue(r.getString("error.message").contains("larger than"));
    }

    @Test
    void unknownMethodsAndTheOtherVersionsNamesAreMethodNotFound() {
        assertEquals(-32601, Rpc.v03().call("tasks/explode", Map.of()).getInt("error.code"));
        assertEquals(-32601, Rpc.v03().call("SendMessage", Map.of()).getInt("error.code"));
        assertEquals(-32601, Rpc.v10().call("message/send", Map.of()).getInt("error.code"));
        assertEquals(-32601, Rpc.v03().call("ListTasks", Map.of()).getInt("error.code"));
    }

    @Test
    void invalidParamsNameTheField() {
        Rpc v10 = Rpc.v10();
        JsonPath noMessage = v10.call("SendMessage", Map.of());
        assertEquals(-32602, noMessage.getInt("error.code"));
        assertTrue(noMessage.getString("error.message").contains("message"));
        assertEquals("type.googleapis.com/google.rpc.BadRequest", noMessage.getString("error.data[0].'@type'"));
        assertEquals("message", noMessage.getString("error.data[0].fieldViolations[0].field"));

        JsonPath emptyParts = v10.call("SendMessage", Map.of("message",
                Map.of("role", "ROLE_USER", "messageId", "m", "parts", List.of())));
        assertEquals(-32602, emptyParts.getInt("error.code"));
        assertTrue(emptyParts.getString("error.message").contains("message.parts"));

        JsonPath badRole = v10.call("SendMessage", Map.of("message",
                Map.of("role", "user", "messageId", "m", "parts", List.of(Map.of("text", "x")))));
        assertEquals(-32602, badRole.getInt("error.code"));
        assertTrue(badRole.getString("error.message").contains("message.role"));

        assertEquals(-32602, v10.call("ListTasks", Map.of("pageSize", 0)).getInt("error.code"));
        assertEquals(-32602, v10.call("ListTasks", Map.of("pageSize", 101)).getInt("error.code"));
        assertEquals(-32602, v10.call("ListTasks", Map.of("status", "DONE")).getInt("error.code"));
        assertEquals(-32602, v10.call("GetTask", Map.of("id", "x", "historyLength", -1))
                .getInt("error.code"));
        assertEquals(-32602, v10.call("ListTasks", Map.of("pageToken", "not-ours"))
                .getInt("error.code"));

        Rpc v03 = Rpc.v03();
        JsonPath badKind = v03.call("message/send", Map.of("message", Map.of("kind", "message",
                "role", "user", "messageId", "m", "parts", List.of(Map.of("kind", "video")))));
        assertEquals(-32602, badKind.getInt("error.code"));
        assertEquals("message.parts[0].kind", badKind.getString("error.data.field"));
        JsonPath noParams = v03.call("tasks/get", null);
        assertEquals(-32602, noParams.getInt("error.code"));
        JsonPath unknownSkill = v03.call("message/send", Map.of("message", Map.of("kind", "message",
                "role", "user", "messageId", "m", "parts", List.of(Map.of("kind", "text", "text", "x")),
                "metadata", Map.of("purser.skill", "no-such-skill"))));
        assertEquals(-32602, unknownSkill.getInt("error.code"));
    }

    @Test
    void anUnknownTaskIsNotFoundWithErrorInfoIn10() {
        JsonPath r = Rpc.v10().call("GetTask", Map.of("id", "nonexistent-task-id"));
        assertEquals(-32001, r.getInt("error.code"));
        assertEquals("type.googleapis.com/google.rpc.ErrorInfo", r.getString("error.data[0].'@type'"));
        assertEquals("TASK_NOT_FOUND", r.getString("error.data[0].reason"));
        assertEquals("a2a-protocol.org", r.getString("error.data[0].domain"));
        assertEquals("nonexistent-task-id", r.getString("error.data[0].metadata.taskId"));
        assertEquals(-32001, Rpc.v03().call("tasks/get", Map.of("id", "nope")).getInt("error.code"));
        assertEquals(-32001, Rpc.v03().call("tasks/cancel", Map.of("id", "nope")).getInt("error.code"));
    }

    @Test
    void pushConfigMethodsOnAnUnknownTaskAreTaskNotFound() {
        assertEquals(-32001, Rpc.v10().call("CreateTaskPushNotificationConfig",
                Map.of("taskId", "t", "url", "https://example.com/hook")).getInt("error.code"));
        assertEquals(-32001, Rpc.v03().call("tasks/pushNotificationConfig/get",
                Map.of("id", "t")).getInt("error.code"));
    }

    @Test
    void subscribingToAnUnknownTaskIsTaskNotFoundAsJsonIn10() {
        assertEquals(-32001, Rpc.v10().call("SubscribeToTask", Map.of("id", "t")).getInt("error.code"));
    }

    @Test
    void theUndeclaredExtendedCardIsAnUnsupportedOperation() {
        Rpc v10 = Rpc.v10();
        JsonPath card = v10.call("GetExtendedAgentCard", Map.of());
        assertEquals(-32004, card.getInt("error.code"));
        assertEquals("UNSUPPORTED_OPERATION", card.getString("error.data[0].reason"));
    }

    @Test
    void anUnsupportedVersionIsRefusedWithVersionNotSupported() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"SendMessage\",\"params\":{}}";
        for (String v : List.of("99.0", "0.5", "garbage", "1")) {
            JsonPath r = JsonPath.from(Rpc.v03().request().header("A2A-Version", v).body(body)
                    .post("/api/a2a").then().statusCode(200).extract().asString());
            assertEquals(-32009, r.getInt("error.code"), v);
            assertEquals("VERSION_NOT_SUPPORTED", r.getString("error.data[0].reason"));
            assertEquals(5, r.getInt("id"));
        }
        // patch digits are ignored
        JsonPath ok = JsonPath.from(Rpc.v03().request().header("A2A-Version", "1.0.1")
                .body("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}")
                .post("/api/a2a").then().statusCode(200).extract().asString());
        assertEquals(-32001, ok.getInt("error.code"));
    }
}
