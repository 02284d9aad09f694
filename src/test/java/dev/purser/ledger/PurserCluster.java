package dev.purser.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.boot.EmbeddedDatabase;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.AppProcess;
import java.io.IOException;
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
import org.postgresql.ds.PGSimpleDataSource;

/**
 * For the *IT tests: one PostgreSQL started here, packaged Purser processes pointed at it (as
 * RestartIT runs the jar), and the ledger's Java API on the same database for opening envelopes
 * and auditing them, as the mandate package will.
 */
final class PurserCluster implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    /** Null when the database is someone else's (an instance's own embedded one). */
    final EmbeddedDatabase db;
    final Envelopes envelopes;
    private final String jdbcUrl;
    private final List<AppProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    PurserCluster() throws IOException {
        this(Files.createTempDirectory("purser-ledger-it"), null);
    }

    /** The test's side of the database at {@code jdbcUrl}, with its keys in {@code dir/keys}. */
    static PurserCluster on(Path dir, String jdbcUrl) {
        return new PurserCluster(dir, jdbcUrl);
    }

    private PurserCluster(Path dir, String externalUrl) {
        this.dir = dir;
        db = externalUrl == null ? EmbeddedDatabase.start(dir.resolve("db")) : null;
        jdbcUrl = externalUrl == null ? db.jdbcUrl() : externalUrl;
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(jdbcUrl);
        source.setUser("postgres");
        source.setPassword("");
        LedgerConfig config = new TestConfig(dir.resolve("keys").toString());
        envelopes = new Envelopes(source, config, new ReceiptSigner(config));
    }

    /** Starts an instance on its own port; the first one's start also migrates the schema. */
    AppProcess start(String name, String reservationTtl) throws Exception {
        return start(name, reservationTtl, java.util.Map.of());
    }

    /** As above, with {@code env} set on top of the cluster's settings. */
    AppProcess start(String name, String reservationTtl, java.util.Map<String, String> env)
            throws Exception {
        AppProcess.Launch launch = AppProcess.jar(dir.getFileName() + "-" + name,
                AppProcess.freePort())
                .env("PURSER_DATA_DIR", dir.resolve(name).toString())
                .env("PURSER_SERVER_KEY_DIR", dir.resolve("keys").toString())
                .env("PURSER_DB_URL", jdbcUrl)
                .env("PURSER_DB_USER", "postgres")
                .env("PURSER_DB_PASSWORD", "")
                .env("PURSER_DB_POOL_SIZE", "20")
                .env("PURSER_RESERVATION_TTL", reservationTtl)
                .env("PURSER_SWEEP_INTERVAL", "1s");
        env.forEach(launch::env);
        AppProcess app = launch.start();
        processes.add(app);
        return app;
    }

    /** A root envelope of {@code budget} for {@code agent}, guards off, opened directly. */
    Envelope open(Address agent, long budget) {
        return Ledgers.open(envelopes, EnvelopeSpec.root(Ledgers.randomId(),
                Ledgers.randomAddress(), agent, Ledgers.USDC, Ledgers.NETWORK, budget)
                .withLimits(EnvelopeSpec.Limits.NONE));
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
        for (AppProcess p : processes) {
            p.kill();
        }
        if (db != null) {
            db.close();
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
