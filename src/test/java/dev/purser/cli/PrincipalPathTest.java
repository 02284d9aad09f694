package dev.purser.cli;

import static dev.purser.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.crypto.Secp256k1Key;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's path for a principal, against the real endpoints: keygen → sign and register
 * ({@code --post}) → inspect → revoke ({@code --post}) → inspect.
 */
@QuarkusTest
class PrincipalPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The JSON answer the command printed after its own lines. */
    private static JsonNode answer(CliRun run) throws Exception {
        String out = run.out();
        return JSON.readTree(out.substring(out.indexOf('{')));
    }

    @Test
    void keygenSignRegisterInspectRevoke() throws Exception {
        String server = "http://localhost:" + RestAssured.port;
        Path key = dir.resolve("principal.hex");
        CliRun keygen = run("keygen", "--out", key.toString());
        assertEquals(0, keygen.exit(), keygen.err());
        String principal = keygen.out().strip();
        String agent = Secp256k1Key.generate(new SecureRandom()).address().checksummed();

        Path file = dir.resolve("mandate.json");
        CliRun sign = run("mandate", "sign", "--key", key.toString(), "--agent", agent,
                "--budget", "10000000", "--per-task-max", "1000000", "--skills", "echo-paid",
                "--expires-in", "30d", "--out", file.toString());
        assertEquals(0, sign.exit(), sign.out() + sign.err());
        String id = sign.out().strip().substring("id: ".length());

        CliRun register = run("mandate", "register", "--in", file.toString(), "--server", server);
        assertEquals(0, register.exit(), register.out() + register.err());
        assertTrue(register.err().contains("-> 201"), register.err());
        JsonNode registered = answer(register);
        assertEquals(id, registered.get("id").asText());
        assertEquals(principal, registered.get("principal").asText());
        assertEquals(agent, registered.get("agent").asText());
        assertEquals("10000000", registered.get("remaining").asText());
        CliRun again = run("mandate", "register", "--in", file.toString(), "--server", server);
        assertTrue(again.err().contains("-> 200"), again.err());
        assertEquals(registered, answer(again));

        // The shortcut: sign and register in one step.
        CliRun signAndPost = run("mandate", "sign", "--key", key.toString(), "--agent", agent,
                "--budget", "1", "--expires-in", "1d", "--out",
                dir.resolve("second.json").toString(), "--post", server);
        assertEquals(0, signAndPost.exit(), signAndPost.out() + signAndPost.err());
        assertEquals("1", answer(signAndPost).get("budget").asText());

        CliRun inspect = run("mandate", "inspect", "--id", id, "--server", server);
        assertEquals(0, inspect.exit(), inspect.err());
        assertEquals("active", answer(inspect).get("status").asText());

        // Another key cannot revoke it: the server refuses, and the command says so.
        Path other = dir.resolve("other.hex");
        assertEquals(0, run("keygen", "--out", other.toString()).exit());
        CliRun stranger = run("mandate", "revoke", "--key", other.toString(), "--id", id,
                "--out", dir.resolve("stranger.json").toString(), "--post", server);
        assertEquals(1, stranger.exit(), stranger.err());
        assertEquals("signature_mismatch", answer(stranger).get("error").asText());

        CliRun revoke = run("mandate", "revoke", "--key", key.toString(), "--id", id, "--out",
                dir.resolve("revoke.json").toString(), "--post", server);
        assertEquals(0, revoke.exit(), revoke.out() + revoke.err());
        assertEquals("revoked", answer(revoke).get("status").asText());

        CliRun after = run("mandate", "inspect", "--id", id, "--server", server);
        assertEquals("revoked", answer(after).get("status").asText());
    }

    @Test
    void thePrincipalSignsAPolicyTheServerAccepts() throws Exception {
        String server = "http://localhost:" + RestAssured.port;
        Path key = dir.resolve("principal.hex");
        assertEquals(0, run("keygen", "--out", key.toString()).exit());
        String agent = Secp256k1Key.generate(new SecureRandom()).address().checksummed();
        CliRun sign = run("mandate", "sign", "--key", key.toString(), "--agent", agent,
                "--budget", "10000000", "--expires-in", "30d", "--out",
                dir.resolve("mandate.json").toString(), "--post", server);
        assertEquals(0, sign.exit(), sign.out() + sign.err());
        String id = answer(sign).get("id").asText();

        CliRun policy = run("mandate", "policy", "--key", key.toString(), "--id", id,
                "--daily-max", "2000000", "--rate", "30", "--soft-limits", "50,90",
                "--webhook", "https://hooks.example.com/purser", "--issued-at", "1700000000",
                "--out", dir.resolve("policy.json").toString(), "--post", server);
        assertEquals(0, policy.exit(), policy.out() + policy.err());
        assertTrue(policy.err().contains("PUT "), policy.err());
        JsonNode shown = answer(policy).get("policy");
        assertEquals("2000000", shown.get("dailyMax").asText());
        assertEquals(30, shown.get("ratePerMinute").asInt());
        assertEquals(0, shown.get("concurrency").asInt());
        assertEquals("[50,90]", shown.get("softLimits").toString());
        assertEquals("https://hooks.example.com/purser", shown.get("webhook").asText());
        assertEquals(1700000000, shown.get("issuedAt").asLong());

        // The same document again is not later than the one in force.
        CliRun again = run("mandate", "policy", "--key", key.toString(), "--id", id,
                "--issued-at", "1700000000", "--out", dir.resolve("again.json").toString(),
                "--post", server);
        assertEquals(1, again.exit(), again.err());
        assertEquals("policy_outdated", answer(again).get("error").asText());
        Path other = dir.resolve("other.hex");
        assertEquals(0, run("keygen", "--out", other.toString()).exit());
        CliRun stranger = run("mandate", "policy", "--key", other.toString(), "--id", id,
                "--out", dir.resolve("stranger.json").toString(), "--post", server);
        assertEquals(1, stranger.exit(), stranger.err());
        assertEquals("signature_mismatch", answer(stranger).get("error").asText());
    }
}
