package dev.purser.testing;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** JSON-RPC calls to {@code /api/a2a} in either wire version, as a caller. */
public final class Rpc {

    private final String version; // null = no A2A-Version header (0.3)
    private final String authorization;

    private Rpc(String version, String authorization) {
        this.version = version;
        this.authorization = authorization;
    }

    public static Rpc v03() {
        return new Rpc(null, null);
    }

    public static Rpc v10() {
        return new Rpc("1.0", null);
    }

    public Rpc as(String subject) {
        return new Rpc(version, Tokens.bearer(subject));
    }

    public Rpc withAuthorization(String header) {
        return new Rpc(version, header);
    }

    public RequestSpecification request() {
        RequestSpecification r = given().contentType("application/json");
        if (version != null) {
            r = r.header("A2A-Version", version);
        }
        if (authorization != null) {
            r = r.header("Authorization", authorization);
        }
        return r;
    }

    public Response post(String body) {
        return request().body(body).post("/api/a2a");
    }

    /** Calls a method and returns the parsed JSON-RPC response (status 200 checked). */
    public JsonPath call(String method, Object params) {
        Map<String, Object> req = new java.util.LinkedHashMap<>();
        req.put("jsonrpc", "2.0");
        req.put("id", UUID.randomUUID().toString());
        req.put("method", method);
        if (params != null) {
            req.put("params", params);
        }
        return request().body(req).post("/api/a2a").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
    }

    /** A text message in this client's version. */
    public Map<String, Object> textMessage(String text) {
        if (version == null) {
            return Map.of("kind", "message", "role", "user",
                    "messageId", UUID.randomUUID().toString(),
                    "parts", java.util.List.of(Map.of("kind", "text", "text", text)));
        }
        return Map.of("role", "ROLE_USER", "messageId", UUID.randomUUID().toString(),
                "parts", java.util.List.of(Map.of("text", text)));
    }

    /** A message without text (a data part): echo asks for input on it. */
    public Map<String, Object> dataMessage() {
        if (version == null) {
            return Map.of("kind", "message", "role", "user",
                    "messageId", UUID.randomUUID().toString(),
                    "parts", java.util.List.of(Map.of("kind", "data", "data", Map.of("k", 1))));
        }
        return Map.of("role", "ROLE_USER", "messageId", UUID.randomUUID().toString(),
                "parts", java.util.List.of(Map.of("data", Map.of("k", 1))));
    }

    public String sendMethod() {
        return version == null ? "message/send" : "SendMessage";
    }

    public String getMethod() {
        return version == null ? "tasks/get" : "GetTask";
    }

    public String cancelMethod() {
        return version == null ? "tasks/cancel" : "CancelTask";
    }

    /** Path of the task object in a send result. */
    public String taskPath() {
        return version == null ? "result" : "result.task";
    }
}
