package dev.purser.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, started as a real process on the embedded PostgreSQL: what it
 * stored is there after a SIGKILL and after an orderly stop, on the same PURSER_DATA_DIR.
 */
class RestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void tasksSurviveAKillAndARestartOnTheSameDataDirectory() throws Exception {
        Path dataDir = Files.createTempDirectory("purser-restart");
        int port = freePort();

        Process first = start(dataDir, port);
        String completed;
        String waiting;
        try {
            completed = send(port, "{\"kind\":\"text\",\"text\":\"remember me\"}")
                    .at("/result/id").asText();
            waiting = send(port, "{\"kind\":\"data\",\"data\":{\"k\":1}}").at("/result/id").asText();
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook runs; PostgreSQL is orphaned
            first.waitFor(30, TimeUnit.SECONDS);
        }

        Process second = start(dataDir, port);
        try {
            JsonNode a = get(port, completed);
            assertEquals("completed", a.at("/result/status/state").asText(), a.toString());
            assertEquals("remember me", a.at("/result/artifacts/0/parts/0/text").asText());
            assertEquals("input-required", get(port, waiting).at("/result/status/state").asText());
        } finally {
            second.destroy(); // SIGTERM: the orderly path
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
        }

        Process third = start(dataDir, port);
        try {
            assertEquals("completed", get(port, completed).at("/result/status/state").asText());
        } finally {
            third.destroy();
            third.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private Process start(Path dataDir, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("purser.log").toFile()));
        pb.environment().put("PURSER_DATA_DIR", dataDir.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().remove("PURSER_DB_URL");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Purser exited: " + Files.readString(dataDir.resolve("purser.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        p.destroyForcibly();
        throw new IllegalStateException("Purser did not become ready");
    }

    private JsonNode send(int port, String part) throws Exception {
        return rpc(port, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":"
                + "{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\"" + UUID.randomUUID()
                + "\",\"parts\":[" + part + "]}}}");
    }

    private JsonNode get(int port, String id) throws Exception {
        return rpc(port, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tasks/get\",\"params\":{\"id\":\"" + id + "\"}}");
    }

    private JsonNode rpc(int port, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/a2a"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
