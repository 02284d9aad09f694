package dev.purser.a2a.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.purser.net.UrlGuard;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider that answers without end is cut off at {@value RpcTransport#MAX_ANSWER_BYTES} bytes,
 * an answer or one stream event, and the call fails as a bad answer instead of filling the heap.
 */
class OversizedAnswerTest {

    private static final int OVER = RpcTransport.MAX_ANSWER_BYTES + 1024;
    private static final CallOptions OPTIONS = CallOptions.timeout(Duration.ofSeconds(30));

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/plain", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            send(ex, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"pad\": \"", "\"}}");
        });
        server.createContext("/stream", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            send(ex, "data: {\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"pad\": \"", "\"}}\n\n");
        });
        server.start();
    }

    /** {@code head}, then {@value #OVER} bytes of padding, then {@code tail}, chunked. */
    private static void send(com.sun.net.httpserver.HttpExchange ex, String head, String tail)
            throws IOException {
        ex.sendResponseHeaders(200, 0);
        byte[] pad = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(head.getBytes(StandardCharsets.UTF_8));
            for (int sent = 0; sent < OVER; sent += pad.length) {
                out.write(pad);
            }
            out.write(tail.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client hung up once it had seen enough: what the test wants
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AgentEndpoint at(String path) {
        return AgentEndpoint.of("http://127.0.0.1:" + server.getAddress().getPort() + path,
                A2aVersion.V0_3);
    }

    @Test
    void anAnswerOverTheLimitIsABadAnswer() {
        try (A2aClient client = new A2aClient(new UrlGuard(true))) {
            A2aCallException e = assertThrows(A2aCallException.class, () -> client.send(at("/plain"),
                    A2aClient.userMessage("hi", null), OPTIONS));
            assertEquals(A2aCallException.Kind.BAD_ANSWER, e.kind());
            assertTrue(e.getMessage().contains("more than " + RpcTransport.MAX_ANSWER_BYTES),
                    e.getMessage());
        }
    }

    @Test
    void aStreamEventOverTheLimitIsABadAnswer() {
        try (A2aClient client = new A2aClient(new UrlGuard(true))) {
            A2aCallException e = assertThrows(A2aCallException.class, () -> client.stream(
                    at("/stream"), A2aClient.userMessage("hi", null), OPTIONS, event -> { }));
            assertEquals(A2aCallException.Kind.BAD_ANSWER, e.kind());
            assertTrue(e.getMessage().contains("larger than " + RpcTransport.MAX_ANSWER_BYTES),
                    e.getMessage());
        }
    }
}
