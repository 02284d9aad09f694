package dev.purser.secrets;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.purser.metered.FakeOpenAiUpstream;
import dev.purser.metered.Metered;
import dev.purser.metered.UpstreamReply;
import dev.purser.testing.Rpc;
import dev.purser.testing.Webhook;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Credentials Purser keeps to call others reach them, and nowhere else: not the database in
 * plain text, not the log, even with Purser's own categories (and the SQL, HTTP and pool ones)
 * at DEBUG.
 */
@QuarkusTest
@TestProfile(SecretsProfile.class)
class SecretsAtRestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    DataSource db;
    @Inject
    ColumnSecrets secrets;
    @Inject
    PlaintextSweep sweep;

    @Test
    void providerUpstreamAndPushCredentialsReachTheirTargetsButNeitherTheDatabaseNorTheLog()
            throws Exception {
        String providerSecret = distinct("provider");
        String upstreamSecret = distinct("upstream");
        String pushToken = distinct("token");
        String pushCredentials = distinct("credentials");
        List<String> all = List.of(providerSecret, upstreamSecret, pushToken, pushCredentials);
        String skill = "sealed-" + distinct("skill").substring(0, 12);
        try (CapturedLog log = new CapturedLog("dev.purser", "org.hibernate.SQL", "io.agroal",
                        "io.quarkus.vertx.http", "io.vertx", "org.jboss.resteasy");
                FakeProvider provider = new FakeProvider(skill);
                FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
                Webhook hook = Webhook.start(0)) {
            String providerId = given().header("Authorization", "Bearer " + SecretsProfile.TOKEN)
                    .contentType("application/json")
                    .body(JSON.createObjectNode().put("cardUrl", provider.cardUrl())
                            .set("headers", JSON.createObjectNode().put("X-Provider-Key", providerSecret))
                            .toString())
                    .post("/api/market/providers").then().statusCode(201).extract().path("id");

            // A delegated task with a webhook: the provider gets its key, the webhook its token.
            Map<String, Object> message = Map.of("kind", "message", "role", "user",
                    "messageId", "sealed-" + UUID.randomUUID(),
                    "parts", List.of(Map.of("kind", "text", "text", "relay this")),
                    "metadata", Map.of("purser.skill", skill));
            Map<String, Object> push = Map.of("url", hook.url(), "token", pushToken,
                    "authentication", Map.of("schemes", List.of("Bearer"), "credentials",
                            pushCredentials));
            var sent = Rpc.v03().call("message/send", Map.of("message", message,
                    "configuration", Map.of("blocking", true, "pushNotificationConfig", push)));
            assertEquals("completed", sent.getString("result.status.state"), sent.prettify());
            String taskId = sent.getString("result.id");
            Webhook.Post post = hook.next(WAIT);
            assertEquals(pushToken, post.header("X-A2A-Notification-Token"));
            assertEquals("Bearer " + pushCredentials, post.header("Authorization"));
            assertTrue(provider.received("X-Provider-Key").contains(providerSecret),
                    "the provider got its key on the card fetch and the task");
            assertTrue(provider.rpcCalls() > 0, "the task went to the provider");

            // A metered call: the upstream gets its key.
            String model = "sealed-model-" + distinct("m").substring(0, 8);
            ObjectNode models = JSON.createObjectNode();
            models.putObject(model).put("input", "1").put("output", "1");
            ObjectNode registration = JSON.createObjectNode().put("baseUrl", upstream.baseUrl());
            registration.putObject("headers").put("Authorization", "Bearer " + upstreamSecret);
            registration.set("models", models);
            given().header("Authorization", "Bearer " + SecretsProfile.TOKEN)
                    .contentType("application/json").body(registration.toString())
                    .post("/api/market/models").then().statusCode(201);
            upstream.always(UpstreamReply.text("sealed").usage(3, 4));
            Metered.Buyer buyer = Metered.buyer(5_000_000, List.of());
            ObjectNode chat = JSON.createObjectNode().put("model", model).put("max_tokens", 10);
            chat.putArray("messages").addObject().put("role", "user").put("content", "hi");
            given().header("Authorization", "Bearer " + buyer.secret())
                    .contentType("application/json").body(chat.toString())
                    .post("/v1/chat/completions").then().statusCode(200);
            assertEquals("Bearer " + upstreamSecret, upstream.chatCalls().get(0).header("Authorization"));

            // What is stored is sealed, bound to its row; no table holds a secret in plain text.
            assertSealed("select headers from market_provider where id = ?", providerId);
            assertSealed("select token from push_config where task_id = ?", taskId);
            assertSealed("select auth_credentials from push_config where task_id = ?", taskId);
            assertSealed("select headers from market_upstream where base_url = ?", upstream.baseUrl());
            assertTrue(tablesContaining(skill).contains("market_offer"), "the scan finds text");
            for (String secret : all) {
                assertEquals(List.of(), tablesContaining(secret), "plaintext of " + secret);
            }

            // The API answers never show them either (the push config is its owner's to read).
            String listing = given().get("/api/market/providers/" + providerId).then()
                    .statusCode(200).extract().asString();
            assertFalse(listing.contains(providerSecret), listing);

            String marker = distinct("marker");
            org.jboss.logging.Logger.getLogger(ColumnSecrets.class).debugf("control %s", marker);
            assertEquals(1, log.containing(marker).size(), "DEBUG records of dev.purser are seen");
            for (String secret : all) {
                assertEquals(List.of(), log.containing(secret), "log lines quoting " + secret);
            }
            given().header("Authorization", "Bearer " + SecretsProfile.TOKEN)
                    .delete("/api/market/providers/" + providerId).then().statusCode(200);
        }
    }

    @Test
    void plaintextRowsFromBeforeSealingAreSealedAtStartAndStillOpen() throws Exception {
        String taskId = "legacy-" + UUID.randomUUID();
        String token = distinct("legacy-token");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into push_config (task_id, id, url, token, auth_scheme, auth_credentials,"
                        + " wire_version) values (?, 'a', 'http://127.0.0.1:9/h', ?, 'Bearer', ?, '1.0')")) {
            ps.setString(1, taskId);
            ps.setString(2, token);
            ps.setString(3, token + "-c");
            ps.executeUpdate();
        }

        sweep.start(null);

        String stored = single("select token from push_config where task_id = ?", taskId);
        assertTrue(stored.startsWith("enc:v1:"), stored);
        assertEquals(token, secrets.open(new SealedColumn("push_config", "token", "task_id", "id"), stored,
                taskId, "a"));
        assertEquals(List.of(), tablesContaining(token));
        sweep.start(null); // a second sweep (another instance starting) changes nothing
        assertEquals(stored, single("select token from push_config where task_id = ?", taskId));
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from push_config where task_id = ?")) {
            ps.setString(1, taskId);
            ps.executeUpdate();
        }
    }

    private static String distinct(String what) {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return what + "-" + HexFormat.of().formatHex(b);
    }

    private void assertSealed(String sql, String key) throws SQLException {
        String value = single(sql, key);
        assertTrue(value != null && value.startsWith("enc:v1:"), sql + " gave " + value);
    }

    private String single(String sql, String key) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql + " found no row for " + key);
                return rs.getString(1);
            }
        }
    }

    /** Every table of the schema whose rows, as text, contain {@code secret}. */
    private List<String> tablesContaining(String secret) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select table_name from"
                    + " information_schema.tables where table_schema = current_schema()"
                    + " and table_type = 'BASE TABLE'"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            List<String> found = new ArrayList<>();
            for (String t : tables) {
                try (PreparedStatement ps = c.prepareStatement("select count(*) from \"" + t
                        + "\" x where strpos(x::text, ?) > 0")) {
                    ps.setString(1, secret);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.add(t);
                        }
                    }
                }
            }
            return found;
        }
    }

    /**
     * A 0.3 provider on loopback: its card at {@code /p/.well-known/agent-card.json} with one free
     * skill, and an RPC endpoint that completes every task; it keeps every request's headers.
     */
    private static final class FakeProvider implements AutoCloseable {

        private final HttpServer server;
        private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
        private final String skill;
        private volatile int rpcCalls;

        FakeProvider(String skill) throws IOException {
            this.skill = skill;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/p/", ex -> {
                headers.add(Map.copyOf(ex.getRequestHeaders()));
                String body;
                if (ex.getRequestURI().getPath().endsWith("/agent-card.json")) {
                    body = card();
                } else {
                    rpcCalls++;
                    JsonNode request = JSON.readTree(ex.getRequestBody());
                    body = "{\"jsonrpc\": \"2.0\", \"id\": " + request.path("id") + ", \"result\":"
                            + " {\"kind\": \"task\", \"id\": \"" + UUID.randomUUID() + "\","
                            + " \"contextId\": \"" + UUID.randomUUID() + "\", \"status\":"
                            + " {\"state\": \"completed\"}, \"artifacts\": [{\"artifactId\": \"a\","
                            + " \"parts\": [{\"kind\": \"text\", \"text\": \"relayed\"}]}]}}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/p";
        }

        String cardUrl() {
            return base();
        }

        int rpcCalls() {
            return rpcCalls;
        }

        /** Every value of header {@code name} the provider received. */
        List<String> received(String name) {
            List<String> out = new ArrayList<>();
            for (Map<String, List<String>> h : headers) {
                h.forEach((k, v) -> {
                    if (k.equalsIgnoreCase(name)) {
                        out.addAll(v);
                    }
                });
            }
            return out;
        }

        private String card() {
            return "{\"name\": \"sealed\", \"description\": \"a provider with a key\","
                    + " \"version\": \"1\", \"url\": \"" + base() + "/rpc\", \"protocolVersion\":"
                    + " \"0.3.0\", \"preferredTransport\": \"JSONRPC\", \"capabilities\":"
                    + " {\"streaming\": false}, \"defaultInputModes\": [\"text/plain\"],"
                    + " \"defaultOutputModes\": [\"text/plain\"], \"skills\": [{\"id\": \"" + skill
                    + "\", \"name\": \"" + skill + "\", \"description\": \"relays\", \"tags\":"
                    + " [\"fake\"]}]}";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
