package dev.purser.cli;

import static dev.purser.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.mandate.SessionKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's path for an agent's session key, against the real endpoints: the principal
 * signs and registers a mandate for the agent's key; {@code mandate key --out --post} creates a
 * key; {@code mandate key-revoke --doc} revokes it with the saved document.
 */
@QuarkusTest
class SessionKeyPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SessionKeys keys;

    @TempDir
    Path dir;

    @Test
    void keyCreatesASessionKeyAndKeyRevokeRevokesIt() throws Exception {
        String server = "http://localhost:" + RestAssured.port;
        Path principal = dir.resolve("principal.hex");
        Path agent = dir.resolve("agent.hex");
        assertEquals(0, run("keygen", "--out", principal.toString()).exit());
        CliRun agentKeygen = run("keygen", "--out", agent.toString());
        String agentAddress = agentKeygen.out().strip();
        CliRun sign = run("mandate", "sign", "--key", principal.toString(), "--agent",
                agentAddress, "--budget", "1000000", "--expires-in", "1d", "--out",
                dir.resolve("mandate.json").toString(), "--post", server);
        assertEquals(0, sign.exit(), sign.out() + sign.err());
        String id = sign.answer().get("id").asText();

        // The principal's key is not the agent's: the server refuses, the command says so.
        CliRun stranger = run("mandate", "key", "--key", principal.toString(), "--id", id,
                "--out", dir.resolve("stranger.json").toString(), "--post", server);
        assertEquals(1, stranger.exit(), stranger.err());
        assertEquals("signature_mismatch", stranger.answer().get("error").asText());

        Path doc = dir.resolve("key-request.json");
        CliRun key = run("mandate", "key", "--key", agent.toString(), "--id", id, "--label",
                "cli run", "--expires-in", "2h", "--out", doc.toString(), "--post", server);
        assertEquals(0, key.exit(), key.out() + key.err());
        assertTrue(key.err().contains("-> 201"), key.err());
        JsonNode created = key.answer();
        String secret = created.get("key").asText();
        assertEquals(id, created.get("mandate").asText());
        assertEquals("cli run", created.get("label").asText());
        assertEquals(agentAddress, keys.authenticate(secret).orElseThrow().agent().checksummed());
        assertEquals(id, JSON.readTree(Files.readString(doc)).at("/key/mandate").asText());

        CliRun revoke = run("mandate", "key-revoke", "--doc", doc.toString(), "--key-id",
                created.get("id").asText(), "--server", server);
        assertEquals(0, revoke.exit(), revoke.out() + revoke.err());
        assertTrue(revoke.answer().get("revokedAt").isNumber(), revoke.out());
        assertTrue(keys.authenticate(secret).isEmpty());

        CliRun wrongDoc = run("mandate", "key-revoke", "--doc",
                dir.resolve("stranger.json").toString(), "--key-id",
                created.get("id").asText(), "--server", server);
        assertEquals(1, wrongDoc.exit(), wrongDoc.err());
    }
}
