package dev.purser.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote x402 facilitator on loopback for tests: it settles each authorization (payer, nonce)
 * at most once and answers a repeated settle from its record, like the embedded one. It can be
 * told to hang in its next settle after the money moved — the case where the client's answer is
 * lost to a timeout — and to fail settlements of given payers. Tests steer it over HTTP
 * ({@code /control/*}, see {@link Control}): a test profile starts it in another class loader
 * than the test's, so the two share its URL, never the object.
 */
final class SlowFacilitator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, ObjectNode> settled = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> settlements = new ConcurrentHashMap<>();
    private final Set<String> failingPayers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger settleCalls = new AtomicInteger();
    private final AtomicBoolean hangNext = new AtomicBoolean();
    private volatile CountDownLatch entered = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(0);

    private SlowFacilitator(HttpServer server) {
        this.server = server;
    }

    static SlowFacilitator start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "slow-facilitator");
                t.setDaemon(true);
                return t;
            }));
            SlowFacilitator f = new SlowFacilitator(server);
            server.createContext("/verify", f::verify);
            server.createContext("/settle", f::settle);
            server.createContext("/supported", ex -> f.answer(ex, JSON.createObjectNode().putArray("kinds")));
            server.createContext("/control/", f::control);
            server.start();
            return f;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The next settle records the settlement, then does not answer until {@link #release()}. */
    void hangNextSettle() {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        hangNext.set(true);
    }

    boolean awaitHanging() {
        try {
            return entered.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release() {
        release.countDown();
    }

    void failSettlementsOf(String payer) {
        failingPayers.add(payer.toLowerCase(Locale.ROOT));
    }

    /** How many times the money of this authorization moved (must never exceed one). */
    int settlementsOf(String payer, String nonce) {
        AtomicInteger n = settlements.get(key(payer, nonce));
        return n == null ? 0 : n.get();
    }

    int settleCalls() {
        return settleCalls.get();
    }

    private static String key(String payer, String nonce) {
        return payer.toLowerCase(Locale.ROOT) + "/" + nonce.toLowerCase(Locale.ROOT);
    }

    private void control(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getQuery();
        Map<String, String> q = new java.util.HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        ObjectNode r = JSON.createObjectNode();
        switch (path) {
            case "/control/hang" -> hangNextSettle();
            case "/control/await" -> r.put("hanging", awaitHanging());
            case "/control/release" -> release();
            case "/control/fail" -> failSettlementsOf(q.get("payer"));
            case "/control/count" -> {
                r.put("settlements", settlementsOf(q.get("payer"), q.get("nonce")));
                r.put("settleCalls", settleCalls());
            }
            default -> r.put("error", "unknown control " + path);
        }
        answer(ex, r);
    }

    /** The test's side of {@code /control/*}. */
    static final class Control {

        private final String base;

        Control(String base) {
            this.base = base.endsWith("/") ? base : base + "/";
        }

        void hangNextSettle() {
            call("control/hang");
        }

        boolean awaitHanging() {
            return call("control/await").path("hanging").asBoolean();
        }

        void release() {
            call("control/release");
        }

        void failSettlementsOf(String payer) {
            call("control/fail?payer=" + payer);
        }

        int settlementsOf(String payer, String nonce) {
            return call("control/count?payer=" + payer + "&nonce=" + nonce).path("settlements").asInt();
        }

        int settleCalls() {
            return call("control/count?payer=0x&nonce=0x").path("settleCalls").asInt();
        }

        private JsonNode call(String path) {
            try {
                java.net.http.HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                                .timeout(java.time.Duration.ofSeconds(90)).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void verify(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        ObjectNode r = JSON.createObjectNode();
        r.put("isValid", true);
        r.put("payer", body.at("/paymentPayload/payload/authorization/from").asText());
        answer(ex, r);
    }

    private void settle(HttpExchange ex) throws IOException {
        settleCalls.incrementAndGet();
        JsonNode body = JSON.readTree(ex.getRequestBody());
        String payer = body.at("/paymentPayload/payload/authorization/from").asText();
        String nonce = body.at("/paymentPayload/payload/authorization/nonce").asText();
        String network = body.at("/paymentRequirements/network").asText();
        String key = key(payer, nonce);
        ObjectNode r = JSON.createObjectNode();
        if (failingPayers.contains(payer.toLowerCase(Locale.ROOT))) {
            r.put("success", false);
            r.put("errorReason", "transaction_failed");
            r.put("transaction", "");
            r.put("network", network);
            r.put("payer", payer);
            answer(ex, r);
            return;
        }
        ObjectNode prior;
        synchronized (this) {
            prior = settled.get(key);
            if (prior == null) {
                r.put("success", true);
                r.put("transaction", "0x" + nonce.substring(2));
                r.put("network", network);
                r.put("payer", payer);
                settled.put(key, r);
                settlements.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
        }
        if (prior != null) {
            // A repeat (the reconciler asking by nonce) while the first settle still hangs waits
            // with it: the outcome stays unknown to Purser until the test releases it.
            awaitRelease();
            answer(ex, prior);
            return;
        }
        if (hangNext.getAndSet(false)) {
            entered.countDown();
            awaitRelease();
        }
        answer(ex, r);
    }

    private void awaitRelease() {
        try {
            release.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange ex, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        try {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client gave up waiting (that is the point of hanging); nothing to do
        } finally {
            ex.close();
        }
    }
}
