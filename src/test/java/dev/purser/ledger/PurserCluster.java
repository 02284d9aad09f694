package dev.purser.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.boot.EmbeddedDatabase;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * For the *IT tests: one PostgreSQL started here, packaged Purser processes pointed at it (as
 * RestartIT runs the jar), and the ledger's Java API on the same database for opening envelopes
 * and auditing them, as the mandate package will.
 */
final class PurserCluster implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final EmbeddedDatabase db;
    final Envelopes envelopes;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    PurserCluster() throws IOException {
        dir = Files.createTempDirectory("purser-ledger-it");
        db = EmbeddedDatabase.start(dir.resolve("db"));
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(db.jdbcUrl());
        source.setUser(db.user());
        source.setPassword("");
        LedgerConfig config = new TestConfig(dir.resolve("keys").toString());
        envelopes = new Envelopes(source, config, new ReceiptSigner(config));
    }

    /** Starts an instance on its own port; the first one's start also migrates the schema. */
    Instance start(String name, String reservationTtl) throws Exception {
        int port = freePort();
        Path log = dir.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PURSER_DATA_DIR", dir.resolve(name).toString());
        pb.environment().put("PURSER_SERVER_KEY_DIR", dir.resolve("keys").toString());
        pb.environment().put("PURSER_DB_URL", db.jdbcUrl());
        pb.environment().put("PURSER_DB_USER", db.user());
        pb.environment().put("PURSER_DB_PASSWORD", "");
        pb.environment().put("PURSER_DB_POOL_SIZE", "20");
        pb.environment().put("PURSER_RESERVATION_TTL", reservationTtl);
        pb.environment().put("PURSER_SWEEP_INTERVAL", "1s");
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process p = pb.start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Purser exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return new Instance(p, port);
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        p.destroyForcibly();
        throw new IllegalStateException("Purser did not become ready: " + Files.readString(log));
    }

    record Instance(Process process, int port) {
        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, transactions cut mid-flight
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A signed direct draw; the HTTP status and body, or empty if the connection failed. */
    Optional<HttpResponse<String>> use(int port, Secp256k1Key agent, Bytes32 mandate,
            long amount, Bytes32 key) throws InterruptedException {
        ObjectNode draw = JSON.createObjectNode();
        draw.put("mandateId", mandate.hex());
        draw.put("amount", Long.toString(amount));
        draw.put("idempotencyKey", key.hex());
        draw.put("memo", "it " + key.hex().substring(2, 10));
        draw.put("deadline", 0);
        ObjectNode body = JSON.createObjectNode();
        body.set("draw", draw);
        body.put("signature", agent.sign(PurserTypes.DRAW.typedData(
                PurserTypes.mandateDomain(84532), draw).digest()).hex());
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + port + "/api/a2a/mandates/" + mandate.hex() + "/use"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        db.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The ledger's settings for the test's own Envelopes (it never sweeps). */
    private record TestConfig(String keyDir) implements LedgerConfig {
        @Override
        public Duration reservationTtl() {
            return Duration.ofSeconds(120);
        }

        @Override
        public String sweepInterval() {
            return "3s";
        }

        @Override
        public String network() {
            return "base-sepolia";
        }

        @Override
        public Optional<String> serverKeyDir() {
            return Optional.of(keyDir);
        }

        @Override
        public String dataDir() {
            return keyDir;
        }

        @Override
        public List<Integer> softLimits() {
            return List.of(80, 90);
        }

        @Override
        public Optional<String> ledgerWebhook() {
            return Optional.empty();
        }

        @Override
        public Guard guard() {
            return new Guard() {
                @Override
                public int rate() {
                    return 0;
                }

                @Override
                public int concurrency() {
                    return 0;
                }

                @Override
                public int loop() {
                    return 0;
                }
            };
        }
    }
}
