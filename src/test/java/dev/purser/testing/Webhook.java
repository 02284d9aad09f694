package dev.purser.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A local webhook receiver: records every POST; answers {@code failFirst} times 500, then 200. */
public final class Webhook implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One received POST: its headers, its body parsed, and the body's exact bytes. */
    public record Post(Map<String, List<String>> headers, JsonNode body, byte[] raw) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft;

    private Webhook(int failFirst, int port) {
        failuresLeft = new AtomicInteger(failFirst);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/webhook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            posts.add(new Post(Map.copyOf(ex.getRequestHeaders()), JSON.readTree(body), body));
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    public static Webhook start(int failFirst) {
        return new Webhook(failFirst, 0);
    }

    public static Webhook start(int failFirst, int port) {
        return new Webhook(failFirst, port);
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort() + "/webhook";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Post next(Duration timeout) throws InterruptedException {
        Post p = posts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (p == null) {
            throw new AssertionError("no webhook POST within " + timeout);
        }
        return p;
    }

    /** Posts until one matches, or the timeout. */
    public List<Post> until(java.util.function.Predicate<Post> done, Duration timeout)
            throws InterruptedException {
        List<Post> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Post p = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            seen.add(p);
            if (done.test(p)) {
                return seen;
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
