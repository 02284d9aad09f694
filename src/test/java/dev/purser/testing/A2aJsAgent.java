package dev.purser.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * An A2A agent built on the official {@code @a2a-js/sdk} server (JSON-RPC, A2A 1.0 with the SDK's
 * 0.3 compatibility on: one endpoint, both versions), run with Node on a loopback port: the
 * "agent written elsewhere" for tests of Purser as a client. Its one skill, {@code echo}, answers
 * with the text it was sent; {@link Settings} make it slow, failing, or ask for an x402 payment,
 * which it verifies with viem (signature, payee, amount, window, nonce once) and accepts with a
 * receipt, settling nothing. The script is {@code src/test/resources/a2a/a2a-js-agent.mjs}; the
 * npm packages (pinned) are installed once into {@code target/node-peers}. Where node or npm is
 * missing, {@link #start} skips the test (an assumption), as the other Node peers do.
 *
 * <pre>{@code
 * try (A2aJsAgent agent = A2aJsAgent.start(A2aJsAgent.Settings.echo().priced(10_000, payTo))) {
 *     RemoteCard card = client.card(agent.cardUrl(), options);   // 1.0 + 0.3 interfaces
 *     ...
 *     assertEquals(1, agent.payments().size());
 * }
 * }</pre>
 */
public final class A2aJsAgent implements AutoCloseable {

    /** Pinned: the agent under test must not move under the tests. */
    public static final List<String> PACKAGES = List.of("@a2a-js/sdk@1.3.0", "express@5.3.0",
            "viem@2.57.20");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * How the agent behaves; change a running one with {@link #configure}.
     *
     * @param name the card's name
     * @param delayMs how long each task works before answering (cancelable meanwhile)
     * @param fail every task ends {@code failed} (after the delay, after a payment if priced)
     * @param price atomic USDC units asked per task (x402, Base Sepolia USDC); null = free
     * @param payTo the payee of that price
     * @param x402Version the shape of its payment-required answer, 1 or 2
     * @param cardPath {@code "agent.json"} serves the card only at the 0.2-era path
     */
    public record Settings(String name, long delayMs, boolean fail, Long price, String payTo,
            int x402Version, String cardPath) {

        /** Free, immediate, completing echo; card at {@code /.well-known/agent-card.json}. */
        public static Settings echo() {
            return new Settings("a2a-js echo", 0, false, null, null, 2, "agent-card.json");
        }

        public Settings named(String n) {
            return new Settings(n, delayMs, fail, price, payTo, x402Version, cardPath);
        }

        public Settings slow(Duration delay) {
            return new Settings(name, delay.toMillis(), fail, price, payTo, x402Version, cardPath);
        }

        public Settings failing() {
            return new Settings(name, delayMs, true, price, payTo, x402Version, cardPath);
        }

        public Settings priced(long atomicUnits, String payee) {
            return new Settings(name, delayMs, fail, atomicUnits, payee, x402Version, cardPath);
        }

        public Settings x402Version(int v) {
            return new Settings(name, delayMs, fail, price, payTo, v, cardPath);
        }

        public Settings cardAtAgentJson() {
            return new Settings(name, delayMs, fail, price, payTo, x402Version, "agent.json");
        }

        ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode().put("name", name).put("delayMs", delayMs)
                    .put("fail", fail).put("x402Version", x402Version).put("cardPath", cardPath)
                    .put("payTo", payTo);
            if (price == null) {
                o.putNull("price");
            } else {
                o.put("price", Long.toString(price));
            }
            return o;
        }
    }

    private final Process process;
    private final int port;
    private final String cardPath;

    private A2aJsAgent(Process process, int port, String cardPath) {
        this.process = process;
        this.port = port;
        this.cardPath = cardPath;
    }

    public static A2aJsAgent start() {
        return start(Settings.echo());
    }

    /** Installs the packages if needed, starts the agent and waits until it listens. */
    public static A2aJsAgent start(Settings settings) {
        Assumptions.assumeTrue(NodePeers.nodeAvailable(), "node and npm are not installed");
        Path dir = NodePeers.install(PACKAGES.toArray(String[]::new));
        try {
            NodePeers.copyResource("x402/eip3009.mjs"); // the script imports it from beside it
            Path script = NodePeers.copyResource("a2a/a2a-js-agent.mjs");
            Process p = new ProcessBuilder("node", script.getFileName().toString(),
                    settings.toJson().toString()).directory(dir.toFile())
                    .redirectError(dir.resolve("a2a-js-agent.log").toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("LISTENING ")) {
                            return Integer.parseInt(line.substring("LISTENING ".length()).trim());
                        }
                    }
                    return -1;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            int port;
            try {
                port = listening.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new IllegalStateException("the a2a-js agent did not start; see "
                        + dir.resolve("a2a-js-agent.log"), e);
            }
            if (port <= 0) {
                throw new IllegalStateException("the a2a-js agent exited before listening; see "
                        + dir.resolve("a2a-js-agent.log"));
            }
            // keep draining its standard output so that it never blocks on a full pipe
            Thread.ofVirtual().start(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            return new A2aJsAgent(p, port, settings.cardPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}: also what a card URL may be given as. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The card's URL at the path it is served on. */
    public String cardUrl() {
        return baseUrl() + "/.well-known/" + cardPath;
    }

    /** The JSON-RPC endpoint (both versions), as the card lists it. */
    public String rpcUrl() {
        return baseUrl() + "/a2a/jsonrpc";
    }

    /** Changes settings of the running agent: keys of {@link Settings} (price as a string). */
    public JsonNode configure(Map<String, Object> changes) {
        return control(HttpRequest.newBuilder(URI.create(baseUrl() + "/control"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.valueToTree(changes).toString())));
    }

    /** {@code {settings, tasks, cancels, payments}}: what it is set to and what it saw. */
    public JsonNode state() {
        return control(HttpRequest.newBuilder(URI.create(baseUrl() + "/control")).GET());
    }

    /** Every payment payload it accepted, in order. */
    public List<JsonNode> payments() {
        List<JsonNode> out = new ArrayList<>();
        state().path("payments").forEach(out::add);
        return out;
    }

    /** How many tasks it started. */
    public int tasks() {
        return state().path("tasks").asInt();
    }

    /** How many cancel requests it received. */
    public int cancels() {
        return state().path("cancels").asInt();
    }

    /** Stops the agent (its tasks are in memory only and are gone). */
    @Override
    public void close() {
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static JsonNode control(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
