package dev.purser.boot;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's own limits answer with JSON, over real HTTP: a body over 8 MiB (413, sent in
 * full by a client that reads the answer only after writing), a URL over 4,096 characters (414),
 * headers over 16 KiB (431), a wrong media type (415) and method (405).
 */
@QuarkusTest
class HttpLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG_ID = "0x" + "a".repeat(4998);

    @TestHTTPResource("/")
    URL base;

    @AfterEach
    void healthy() {
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void bodyOverTheLimitOnA2aIsA413WithAJsonRpcError() throws Exception {
        HttpResponse<String> r = post("api/a2a", new byte[9 << 20]);
        assertEquals(413, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("2.0", body.get("jsonrpc").asText());
        assertTrue(body.get("id").isNull());
        assertEquals(-32600, body.at("/error/code").asInt());
        assertTrue(body.at("/error/message").asText().contains("8388608"), r.body());
    }

    @Test
    void bodyOverTheLimitElsewhereIsA413WithTheErrorBody() throws Exception {
        for (String path : new String[] {"api/a2a/mandates", "facilitator/verify",
                "api/a2a/mandates/0x01/use"}) {
            HttpResponse<String> r = post(path, new byte[9 << 20]);
            assertEquals(413, r.statusCode(), path + ": " + r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("payload_too_large", body.get("error").asText());
            assertEquals("body", body.get("field").asText());
        }
    }

    /** Without Content-Length the size is known only while reading: still a JSON answer. */
    @Test
    void aChunkedBodyOverTheLimitIsAnsweredWithJson() throws Exception {
        for (String path : new String[] {"api/a2a/mandates", "api/a2a", "facilitator/verify"}) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(new byte[9 << 20]))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() < 500, path + ": " + r.statusCode() + " " + r.body());
            JsonNode body = JSON.readTree(r.body());
            assertTrue(body.isObject(), path + ": " + r.statusCode() + " " + r.body());
            assertTrue(body.has("jsonrpc") ? body.at("/error/code").asInt() == -32600
                    : body.path("error").isTextual() && body.has("field"), path + ": " + r.body());
        }
    }

    /** A raw client that writes the whole body before reading: the answer is there, not a reset. */
    @Test
    void aClientThatSendsTheWholeBodyStillReadsThe413() throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = s.getOutputStream();
            int size = 9 << 20;
            out.write(("POST /api/a2a/mandates HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", head);
        }
    }

    @Test
    void aLongMandateIdInTheUrlIsA414WithTheErrorBody() {
        given().get("/api/a2a/mandates/" + LONG_ID).then().statusCode(414)
                .contentType(containsString("application/json"))
                .body("error", equalTo("uri_too_long")).body("field", equalTo("url"));
        for (String action : new String[] {"use", "revoke"}) {
            given().contentType("application/json").body("{}")
                    .post("/api/a2a/mandates/" + LONG_ID + "/" + action).then().statusCode(414)
                    .body("error", equalTo("uri_too_long"));
        }
    }

    @Test
    void headersOverTheLimitAreA431WithTheErrorBody() {
        given().header("X-Filler", "x".repeat(20_000)).get("/api/market/services").then()
                .statusCode(431).contentType(containsString("application/json"))
                .body("error", equalTo("headers_too_large")).body("field", equalTo("headers"));
    }

    @Test
    void aWrongContentTypeIsA415NamingTheHeader() {
        given().contentType("text/plain").body("hello").post("/facilitator/verify").then()
                .statusCode(415).contentType(containsString("application/json"))
                .body("error", equalTo("unsupported_media_type"))
                .body("field", equalTo("Content-Type"));
    }

    @Test
    void aWrongMethodIsA405WithTheErrorBody() {
        given().delete("/api/a2a/mandates").then().statusCode(405)
                .contentType(containsString("application/json"))
                .body("error", equalTo("method_not_allowed")).body("field", equalTo("method"));
        given().put("/api/a2a").then().statusCode(405)
                .contentType(containsString("application/json"));
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
