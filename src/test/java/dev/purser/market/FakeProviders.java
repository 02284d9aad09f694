package dev.purser.market;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP server on loopback that serves agent cards (good and bad) at paths the test sets,
 * the way remote providers would. Unknown paths answer 404.
 */
final class FakeProviders implements AutoCloseable {

    static final String X402 = "https://github.com/google-agentic-commerce/a2a-x402/blob/main/spec/v0.2";
    static final String USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    FakeProviders() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Answer a = answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(404, "{}"));
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code body} at {@code path}; returns the URL. */
    String serve(String path, int status, String body) {
        answers.put(path, new Answer(status, body));
        return base() + path;
    }

    /**
     * A 0.3 card (one agent) at {@code /<name>/.well-known/agent-card.json} whose skill {@code skill}
     * costs {@code amount} in its x402 params (null: free); returns the card's base URL.
     */
    String card03(String name, String skill, String amount) {
        String prices = amount == null ? "{}" : "{\"" + skill + "\": {\"amount\": \"" + amount
                + "\", \"asset\": \"" + USDC + "\", \"network\": \"eip155:84532\"}}";
        serve("/" + name + CardFetcher.WELL_KNOWN, 200, "{\"name\": \"" + name + "\","
                + " \"description\": \"fake provider " + name + "\", \"version\": \"1\","
                + " \"url\": \"" + base() + "/" + name + "/rpc\", \"protocolVersion\": \"0.3.0\","
                + " \"preferredTransport\": \"JSONRPC\", \"capabilities\": {\"streaming\": false,"
                + " \"extensions\": [{\"uri\": \"" + X402 + "\", \"params\": {\"skills\": " + prices
                + "}}]}, \"skills\": [{\"id\": \"" + skill + "\", \"name\": \"" + skill + " by " + name
                + "\", \"description\": \"does " + skill + "\", \"tags\": [\"fake\"]}]}");
        return base() + "/" + name;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
