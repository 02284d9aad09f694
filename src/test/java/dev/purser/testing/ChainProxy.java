package dev.purser.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JSON-RPC pass-through in front of a chain node that can lose one {@code eth_sendRawTransaction}
 * on purpose, as a crash or a broken connection would: {@code before} the node sees it (the
 * transaction exists only in Purser's record) or {@code after} (it is in the pool, the answer is
 * lost). Armed with the JSON-RPC method {@value #ARM} and one parameter, {@code "before"} or
 * {@code "after"}, sent to the proxy itself; a lost call is answered HTTP 502 without JSON.
 */
public final class ChainProxy implements AutoCloseable {

    public static final String ARM = "proxy_loseNextSend";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final URI upstream;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<String> armed = new AtomicReference<>();

    private ChainProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static ChainProxy start(String upstream) throws IOException {
        return new ChainProxy(URI.create(upstream));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode request = JSON.readTree(body);
            String method = request.path("method").asText();
            if (ARM.equals(method)) {
                armed.set(request.path("params").path(0).asText());
                reply(exchange, 200, ("{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"result\":true}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            String lose = "eth_sendRawTransaction".equals(method) ? armed.getAndSet(null) : null;
            if ("before".equals(lose)) {
                reply(exchange, 502, "lost before the node".getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(upstream)
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if ("after".equals(lose)) {
                reply(exchange, 502, "lost after the node".getBytes(StandardCharsets.UTF_8));
                return;
            }
            reply(exchange, answer.statusCode(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
