package dev.purser.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.testing.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
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
        int port = AppProcess.freePort();

        AppProcess first = start(dataDir, port);
        String completed;
        String waiting;
        try {
            completed = send(port, "{\"kind\":\"text\",\"text\":\"remember me\"}")
                    .at("/result/id").asText();
            waiting = send(port, "{\"kind\":\"data\",\"data\":{\"k\":1}}").at("/result/id").asText();
        } finally {
            first.kill(); // SIGKILL: no shutdown hook runs; PostgreSQL is orphaned
        }

        AppProcess second = start(dataDir, port);
        try {
            JsonNode a = get(port, completed);
            assertEquals("completed", a.at("/result/status/state").asText(), a.toString());
            assertEquals("remember me", a.at("/result/artifacts/0/parts/0/text").asText());
            assertEquals("input-required", get(port, waiting).at("/result/status/state").asText());
        } finally {
            assertTrue(second.stop(), "stops on SIGTERM"); // the orderly path
        }

        AppProcess third = start(dataDir, port);
        try {
            assertEquals("completed", get(port, completed).at("/result/status/state").asText());
        } finally {
            third.stop();
        }
    }

    /** On the given data directory, with no PURSER_DB_URL: the app runs its own PostgreSQL. */
    private static AppProcess start(Path dataDir, int port) throws Exception {
        return AppProcess.jar(dataDir.getFileName().toString(), port)
                .env("PURSER_DATA_DIR", dataDir.toString())
                .unset("PURSER_DB_URL")
                .start();
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
}
