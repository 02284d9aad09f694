package dev.purser.cli;

import static dev.purser.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.Envelopes;
import dev.purser.testing.Ap2Wallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's AP2 path with the command line alone, against the real endpoints: keys, an open
 * mandate registered, a direct payment drawn, a child delegated to a sub-agent, and a paid task
 * bought by the sub-agent with {@code call --ap2}. What the CLI writes is read back with
 * {@link Ap2Wallet}, an implementation independent of the CLI's.
 */
@QuarkusTest
class Ap2PathTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Envelopes envelopes;

    @TempDir
    Path dir;

    private static String server() {
        return "http://localhost:" + RestAssured.port;
    }

    private Path p256(String name) throws Exception {
        Path file = dir.resolve(name);
        CliRun r = run("keygen", "--p256", "--out", file.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode printed = JSON.readTree(r.out());
        assertEquals("P-256", printed.get("crv").asText());
        assertTrue(printed.path("d").isMissingNode(), "only the public key is printed");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        return file;
    }

    private Envelope envelope(String id) {
        return envelopes.find(Bytes32.fromHex(id)).orElseThrow();
    }

    @Test
    void anAp2MandateIsIssuedDrawnDelegatedAndPaysATaskFromTheCommandLine() throws Exception {
        Path issuer = p256("issuer.jwk");
        Path agent = p256("agent.jwk");
        Path sub = p256("sub.jwk");
        Path open = dir.resolve("open.json");
        CliRun issued = run("mandate", "ap2-open", "--key", issuer.toString(), "--agent",
                agent.toString(), "--budget", "0.05", "--skills", "echo-paid", "--expires-in",
                "1h", "--out", open.toString(), "--post", server());
        assertEquals(0, issued.exit(), issued.out() + issued.err());
        String openId = issued.out().lines().findFirst().orElseThrow().replace("id: ", "");
        String token = JSON.readTree(open.toFile()).get("sdJwt").asText();
        assertEquals(Ap2Wallet.id(token), openId, "the id is SHA-256 of the issuer's JWS");
        assertEquals("50000", issued.answer().get("budget").asText());

        // One cent drawn directly, the audience read from the server's card.
        CliRun drawn = run("mandate", "ap2-close", "--key", agent.toString(), "--mandate",
                open.toString(), "--cents", "1", "--out", dir.resolve("draw.json").toString(),
                "--post", server());
        assertEquals(0, drawn.exit(), drawn.out() + drawn.err());
        assertTrue(drawn.answer().has("receipt"), drawn.out());
        assertEquals(10_000, envelope(openId).spent());

        // A child for the sub-agent: 0.02 carved out of the parent.
        Path child = dir.resolve("child.json");
        CliRun delegated = run("mandate", "ap2-delegate", "--key", agent.toString(), "--parent",
                open.toString(), "--agent", sub.toString(), "--budget", "0.02", "--skills",
                "echo-paid", "--expires-in", "30m", "--out", child.toString(), "--post",
                server());
        assertEquals(0, delegated.exit(), delegated.out() + delegated.err());
        assertEquals(openId, delegated.answer().get("parent").asText());
        String childId = delegated.out().lines().findFirst().orElseThrow().replace("id: ", "");

        // The sub-agent pays a task with its closed mandate; any Ethereum wallet signs the x402.
        Path closed = dir.resolve("closed.json");
        CliRun close = run("mandate", "ap2-close", "--key", sub.toString(), "--mandate",
                child.toString(), "--cents", "1", "--aud",
                envelopes.receiptSigner().checksummed(), "--out", closed.toString());
        assertEquals(0, close.exit(), close.out() + close.err());
        String chain = JSON.readTree(closed.toFile()).get("ap2").asText();
        assertTrue(close.out().contains("x402 nonce: " + Ap2Wallet.keccak(chain)), close.out());
        Path wallet = dir.resolve("wallet.hex");
        assertEquals(0, run("keygen", "--out", wallet.toString()).exit());
        CliRun paid = run("call", server(), "--skill", "echo-paid", "--text", "under ap2",
                "--key", wallet.toString(), "--ap2", closed.toString());
        assertEquals(0, paid.exit(), paid.out() + paid.err());
        assertTrue(paid.out().contains("paid: 10000 atomic units"), paid.out());
        assertEquals(10_000, envelope(childId).spent());
        assertEquals(50_000 - 10_000 - 20_000, envelope(openId).remaining());

        // The same closed mandate again is a replay.
        CliRun again = run("call", server(), "--skill", "echo-paid", "--text", "twice",
                "--key", wallet.toString(), "--ap2", closed.toString());
        assertTrue(again.out().contains("nonce_reused"), again.out());
        assertEquals(10_000, envelope(childId).spent());

        // The agent's session key and the issuer's revocation: the same commands, a JWS each.
        CliRun key = run("mandate", "key", "--key", agent.toString(), "--id", openId,
                "--label", "ap2 run", "--out", dir.resolve("key.json").toString(), "--post",
                server());
        assertEquals(0, key.exit(), key.out() + key.err());
        assertTrue(key.answer().get("key").asText().startsWith("psk_"), key.out());
        CliRun policy = run("mandate", "policy", "--key", issuer.toString(), "--id", openId,
                "--daily-max", "20000", "--out", dir.resolve("policy.json").toString(), "--post",
                server());
        assertEquals(0, policy.exit(), policy.out() + policy.err());
        assertTrue(JSON.readTree(dir.resolve("policy.json").toFile()).has("jws"));
        assertEquals("20000", policy.answer().at("/policy/dailyMax").asText(), policy.out());
        CliRun stranger = run("mandate", "revoke", "--key", agent.toString(), "--id", openId,
                "--out", dir.resolve("stranger.json").toString(), "--post", server());
        assertEquals("signature_mismatch", stranger.answer().get("error").asText());
        CliRun revoke = run("mandate", "revoke", "--key", issuer.toString(), "--id", openId,
                "--out", dir.resolve("revoke.json").toString(), "--post", server());
        assertEquals(0, revoke.exit(), revoke.out() + revoke.err());
        assertEquals("revoked", RestAssured.get("/api/a2a/mandates/" + childId).path("status"));
    }

    @Test
    void aKeyFileThatIsNotAP256JwkIsNamedNotEchoed() throws Exception {
        Path bad = dir.resolve("bad.jwk");
        Files.writeString(bad, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"c2VjcmV0\"}");
        CliRun r = run("mandate", "ap2-open", "--key", bad.toString(), "--agent", bad.toString(),
                "--budget", "1.00");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("does not hold a P-256 private JWK"), r.err());
        assertTrue(!r.err().contains("c2VjcmV0"), "the secret is never printed");
    }
}
