package dev.purser.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.AppProcess;
import dev.purser.testing.Postmaster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged application on its own embedded PostgreSQL, under light load of draws, while that
 * PostgreSQL is killed (-9) or hung (SIGSTOP of all its processes): every request is answered
 * within a few seconds, with 503 + Retry-After (REST), a JSON-RPC error with a retry hint, or a
 * 503 readiness; Purser restarts a killed PostgreSQL by itself and recovers from a hung one; no
 * draw is lost and none is charged twice (retried with the same keys afterwards).
 */
class DatabaseOutageIT {

    /** Liveness, not performance: a request left waiting on the database would take minutes. */
    private static final long ANSWER_BOUND_MILLIS = 8_000;
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    private static final long BUDGET = 100_000_000;
    private static final long AMOUNT = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private static Path dir;
    private static AppProcess app;
    private static Postmaster pg;
    private static PurserCluster ledger;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("purser-db-outage");
        app = AppProcess.jar(dir.getFileName().toString(), AppProcess.freePort())
                .env("PURSER_DATA_DIR", dir.resolve("app").toString())
                .env("PURSER_SERVER_KEY_DIR", dir.resolve("keys").toString())
                .env("PURSER_SWEEP_INTERVAL", "1s")
                .unset("PURSER_DB_URL")
                .start();
        pg = new Postmaster(dir.resolve("app").resolve("pg"));
        ledger = PurserCluster.on(dir, pg.jdbcUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            assertTrue(app.stop(), "stops on SIGTERM"); // and stops its PostgreSQL
        }
    }

    @Test
    void aKilledPostgresIsRestartedByPurserAndNothingIsChargedTwice() throws Exception {
        Drawer drawer = new Drawer();
        assertEquals(200, drawer.draw(Ledgers.randomId()).statusCode(), "warm");
        long killed;
        try (Load load = new Load(drawer)) {
            Thread.sleep(300);
            killed = pg.kill();
            // At once, before the supervisor's next look: the database is gone. On a loaded
            // machine the supervisor may already have started a new one: then a success is right.
            HttpResponse<String> draw = drawer.draw(Ledgers.randomId());
            if (!answeredByANewPostmaster(draw, killed)) {
                assertUnavailable(draw);
            }
            HttpResponse<String> send = rpc("0.3", "message/send", message());
            if (!answeredByANewPostmaster(send, killed)) {
                assertRpcUnavailable(send, "0.3");
            }
            int ready = timed(() -> get("/q/health/ready")).statusCode();
            assertTrue(ready == 503 || ready == 200, "readiness answers: " + ready);
            awaitRecovery(drawer);
        }
        assertTrue(app.isAlive(), "the same Purser process throughout");
        assertNotEquals(killed, pg.pid(), "a new postmaster");
        assertEquals(200, get("/q/health/ready").statusCode());
        assertTrue(rpc("0.3", "message/send", message()).body().contains("\"completed\""));
        drawer.settle();
    }

    @Test
    void aHungPostgresCostsEachRequestSecondsAndRecoversWhenItResumes() throws Exception {
        Drawer drawer = new Drawer();
        assertEquals(200, drawer.draw(Ledgers.randomId()).statusCode(), "warm");
        long postmaster = pg.pid();
        Bytes32 retried = Ledgers.randomId();
        try (Load load = new Load(drawer)) {
            Thread.sleep(300);
            List<Long> stopped = pg.stop();
            long stoppedAt = System.nanoTime();
            try {
                assertUnavailable(drawer.draw(retried));
                assertRpcUnavailable(rpc("0.3", "message/send", message()), "0.3");
                assertRpcUnavailable(rpc("1.0", "SendMessage", message()), "1.0");
                assertEquals(503, timed(() -> get("/q/health/ready")).statusCode());
                // The same draw again while hung: still refused, still in seconds.
                while (System.nanoTime() - stoppedAt < TimeUnit.SECONDS.toNanos(15)) {
                    assertUnavailable(drawer.draw(retried));
                }
            } finally {
                pg.resume(stopped);
            }
            awaitRecovery(drawer);
        }
        assertEquals(postmaster, pg.pid(), "a hung PostgreSQL is waited for, not restarted");
        assertEquals(200, get("/q/health/ready").statusCode());
        // The draw refused while hung may have been committed when the database resumed (its
        // statement was in the socket): the same key once more is still one draw.
        assertEquals(200, drawer.draw(retried).statusCode());
        drawer.settle();
    }

    /** Polls with draws until one succeeds again; each answer still within the bound. */
    private static void awaitRecovery(Drawer drawer) throws Exception {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = drawer.draw(Ledgers.randomId());
            if (r.statusCode() == 200) {
                return;
            }
            assertUnavailable(r);
            Thread.sleep(250);
        }
        throw new AssertionError("draws did not succeed again within " + RECOVERY);
    }

    /** A success, and the postmaster is no longer the one killed: the outage was already over. */
    private static boolean answeredByANewPostmaster(HttpResponse<String> r, long killed) {
        if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
            return false;
        }
        try {
            return pg.pid() != killed;
        } catch (IOException | RuntimeException e) {
            return false; // no postmaster.pid yet: not restarted
        }
    }

    private static void assertUnavailable(HttpResponse<String> r) throws Exception {
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElse("0")) >= 1,
                "Retry-After: " + r.headers().map());
        assertEquals("database_unavailable", PurserCluster.JSON.readTree(r.body())
                .path("error").asText(), r.body());
    }

    private static void assertRpcUnavailable(HttpResponse<String> r, String version)
            throws Exception {
        JsonNode error = PurserCluster.JSON.readTree(r.body()).path("error");
        assertEquals(-32603, error.path("code").asInt(), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), "Retry-After");
        if (version.equals("0.3")) {
            assertEquals("DATABASE_UNAVAILABLE", error.at("/data/reason").asText(), r.body());
            assertTrue(error.at("/data/retryAfterSeconds").asInt() >= 1, r.body());
        } else {
            assertEquals("DATABASE_UNAVAILABLE", error.at("/data/0/reason").asText(), r.body());
            assertEquals("type.googleapis.com/google.rpc.RetryInfo",
                    error.at("/data/1/@type").asText(), r.body());
        }
    }

    /**
     * Draws on one envelope, remembering each key's last answer, so that afterwards every draw
     * not answered 200 is retried with its key and the ledger audited.
     */
    private static final class Drawer {
        final Secp256k1Key agent = Secp256k1Key.generate(new SecureRandom());
        final Envelope envelope = ledger.open(agent.address(), BUDGET);
        final Map<Bytes32, Integer> answers = new ConcurrentHashMap<>();
        final Map<Bytes32, Long> succeeded = new ConcurrentHashMap<>();

        HttpResponse<String> draw(Bytes32 key) throws Exception {
            HttpResponse<String> r = timed(() -> ledger.use(app.port(), agent, envelope.id(),
                    AMOUNT, key).orElseThrow(() -> new AssertionError("no answer to a draw")));
            answers.put(key, r.statusCode());
            if (r.statusCode() == 200) {
                succeeded.put(key, LedgerCrashIT.receiptAmount(r.body()));
            }
            return r;
        }

        /** Every draw not answered 200 once more with its key; then the envelope is audited. */
        void settle() throws Exception {
            for (Map.Entry<Bytes32, Integer> a : answers.entrySet()) {
                if (a.getValue() != 200) {
                    assertEquals(200, draw(a.getKey()).statusCode());
                }
            }
            LedgerCrashIT.audit(ledger, envelope.id(), BUDGET, succeeded);
            assertEquals(answers.size(), succeeded.size(), "every draw drawn once, none lost");
        }
    }

    /** Light load: a draw with a new key every 100 ms from a thread of its own. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong slowest = new AtomicLong();
        private final Thread thread;
        private volatile Throwable failure;

        Load(Drawer drawer) {
            thread = Thread.ofPlatform().name("draw-load").start(() -> {
                while (running.get()) {
                    try {
                        long t0 = System.nanoTime();
                        int status = drawer.draw(Ledgers.randomId()).statusCode();
                        slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                                Math::max);
                        assertTrue(status == 200 || status == 503, "status " + status);
                        Thread.sleep(100);
                    } catch (Throwable e) {
                        failure = e;
                        return;
                    }
                }
            });
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (failure != null) {
                throw new AssertionError("a draw under load", failure);
            }
            assertTrue(slowest.get() < ANSWER_BOUND_MILLIS, "slowest draw " + slowest + " ms");
        }
    }

    @FunctionalInterface
    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    /** {@code call}, which must be answered within the bound. */
    private static HttpResponse<String> timed(Call call) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = call.run();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis < ANSWER_BOUND_MILLIS, "answered in " + millis + " ms: " + r.body());
        return r;
    }

    private static String message() {
        return "{\"message\":{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\""
                + UUID.randomUUID() + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}]}}";
    }

    private static HttpResponse<String> rpc(String version, String method, String params)
            throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":"
                + (version.equals("1.0") ? params.replace("\"kind\":\"message\",", "")
                        .replace("\"role\":\"user\"", "\"role\":\"ROLE_USER\"")
                        .replace("{\"kind\":\"text\",", "{") : params) + "}";
        return timed(() -> HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/a2a"))
                .header("Content-Type", "application/json").header("A2A-Version", version)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
