package dev.purser.cli;

import static dev.purser.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.EnvelopeSpec;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.OpenResult;
import dev.purser.money.Asset;
import dev.purser.testing.A2aJsAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code purser call} against Purser's own server: free, paid, paid from a mandate, unpaid. */
@QuarkusTest
class CallCommandTest {

    @Inject
    Envelopes envelopes;

    @TempDir
    Path dir;

    private static String server() {
        return "http://localhost:" + RestAssured.port;
    }

    private Path keyFile() {
        Path key = dir.resolve("agent.hex");
        CliRun keygen = run("keygen", "--out", key.toString());
        assertEquals(0, keygen.exit(), keygen.err());
        return key;
    }

    @Test
    void aFreeSkillPrintsItsResultInEitherVersion() {
        for (String version : new String[] {"0.3", "1.0"}) {
            CliRun r = run("call", server(), "--skill", "echo", "--text", "hello cli",
                    "--version", version);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("(A2A " + version + ")"), r.out());
            assertTrue(r.out().contains(" completed"), r.out());
            assertTrue(r.out().lines().anyMatch("hello cli"::equals), r.out());
        }
    }

    @Test
    void aPaidSkillIsPaidWithTheKeyAndPrintsTheReceipt() {
        CliRun r = run("call", server() + "/.well-known/agent-card.json", "--skill", "echo-paid",
                "--text", "paid from the cli", "--key", keyFile().toString(), "--stream");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("paid: 10000 atomic units"), r.out());
        assertTrue(r.out().lines().anyMatch("paid from the cli"::equals), r.out());
        assertTrue(r.out().contains("receipt: {\"success\":true"), r.out());
    }

    @Test
    void aPaidSkillIsDrawnFromTheNamedMandate() {
        Path key = keyFile();
        Address agent = Address.of(addressOf(key));
        byte[] id = new byte[32];
        new SecureRandom().nextBytes(id);
        EnvelopeSpec spec = EnvelopeSpec.root(new Bytes32(id), Address.of(
                "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), agent,
                Address.of(Asset.BASE_SEPOLIA_USDC.address()), Asset.BASE_SEPOLIA_USDC.network(),
                50_000).withLimits(EnvelopeSpec.Limits.NONE);
        assertInstanceOf(OpenResult.Opened.class, envelopes.open(spec));

        CliRun r = run("call", server(), "--skill", "echo-paid", "--text", "on the mandate",
                "--key", key.toString(), "--mandate", new Bytes32(id).hex());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("receipt: "), r.out());
        assertEquals(10_000, envelopes.find(new Bytes32(id)).orElseThrow().spent());
    }

    @Test
    void anAgentBuiltOnTheA2aJsSdkIsCalledAndPaidToo() {
        try (A2aJsAgent other = A2aJsAgent.start(A2aJsAgent.Settings.echo().priced(2_500,
                "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"))) {
            CliRun r = run("call", other.cardUrl(), "--skill", "echo", "--text", "elsewhere",
                    "--key", keyFile().toString(), "--version", "0.3");
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("paid: 2500 atomic units"), r.out());
            assertTrue(r.out().lines().anyMatch("elsewhere"::equals), r.out());
            assertEquals(1, other.payments().size());
        }
    }

    @Test
    void withoutAKeyAPaidSkillSaysWhatItCostsAndFails() {
        CliRun r = run("call", server(), "--skill", "echo-paid", "--text", "free please");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("payment required: "), r.out());
        assertTrue(r.out().contains(" input-required"), r.out());
    }

    @Test
    void aPriceAboveMaxIsNotPaid() {
        CliRun r = run("call", server(), "--skill", "echo-paid", "--text", "too dear",
                "--key", keyFile().toString(), "--max", "9999");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("not paid: AMOUNT_EXCEEDS_MAXIMUM"), r.out());
    }

    @Test
    void anUnreachableAgentIsNamed() {
        CliRun r = run("call", "http://127.0.0.1:9", "--skill", "echo", "--text", "x",
                "--timeout", "5");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cannot reach http://127.0.0.1:9"), r.err());
    }

    private static String addressOf(Path key) {
        try {
            return KeyFile.read(key).address().checksummed();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
