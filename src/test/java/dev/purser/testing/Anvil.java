package dev.purser.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real local EVM node: Foundry's {@code anvil}, from the npm package {@code @foundry-rs/anvil}
 * (which ships the binary for this platform), on loopback only, on a free port. Contracts are
 * compiled offline by solc-js (the npm package is the compiler; nothing is downloaded at compile
 * time). Callers {@link #install} first.
 */
public final class Anvil implements AutoCloseable {

    /** Pinned: the node's behaviour and the compiler's output are part of what a test asserts. */
    private static final String[] PACKAGES = {"@foundry-rs/anvil@1.7.1", "solc@0.8.37"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Anvil(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Installs anvil and solc from npm into {@code target/node-peers} unless they are there; the
     * directory.
     *
     * @throws IllegalStateException if npm fails (see {@link NodePeers#registryUnreachable})
     */
    public static Path install() {
        return NodePeers.install(PACKAGES);
    }

    /** Starts a fresh chain with {@code chainId}; returns once it answers. */
    public static Anvil start(long chainId) throws IOException, InterruptedException {
        Path dir = install();
        Path binary;
        try (Stream<Path> platforms = Files.list(dir.resolve("node_modules/@foundry-rs"))) {
            binary = platforms.filter(p -> p.getFileName().toString().startsWith("anvil-"))
                    .map(p -> p.resolve("bin/anvil")).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException("@foundry-rs/anvil has no binary for this platform"));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("anvil-" + port + ".log");
        Process p = new ProcessBuilder(binary.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--chain-id", Long.toString(chainId))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Anvil anvil = new Anvil(p, URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                anvil.rpc("eth_chainId");
                return anvil;
            } catch (IllegalStateException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    anvil.close();
                    throw new IllegalStateException("anvil did not start: " + Files.readString(log), e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** A client for a node another component started (its process is not ours to stop). */
    public static Anvil connect(String url) {
        return new Anvil(null, URI.create(url));
    }

    /** Runtime bytecode of {@code contract} in the Solidity test resource, for {@code anvil_setCode}. */
    public static String compile(String resource, String contract) throws IOException {
        install();
        Path source = NodePeers.copyResource(resource);
        return NodePeers.run("chain/compile.mjs", source.toString(), contract);
    }

    public String url() {
        return url.toString();
    }

    /** One JSON-RPC call; the result, or an exception carrying the node's error. */
    public JsonNode rpc(String method, Object... params) {
        ObjectNode req = JSON.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", 1);
        req.put("method", method);
        var array = req.putArray("params");
        for (Object param : params) {
            array.add(JSON.valueToTree(param));
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(req.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (body.has("error")) {
                throw new IllegalStateException(method + ": " + body.get("error"));
            }
            return body.get("result");
        } catch (IOException e) {
            throw new IllegalStateException(method + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
