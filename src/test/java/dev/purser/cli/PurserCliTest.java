package dev.purser.cli;

import static dev.purser.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.purser.crypto.Address;
import dev.purser.mandate.Mandate;
import dev.purser.mandate.MandateCheck;
import dev.purser.mandate.MandatePolicy;
import dev.purser.mandate.MandateVerifier;
import dev.purser.mandate.Party;
import dev.purser.mandate.SignedRequests;
import dev.purser.mandate.Verification;
import dev.purser.money.Amount;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The principal's path: keygen → sign → verify → revoke, and posting to a server. */
class PurserCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String AGENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    @TempDir
    Path dir;

    private Path keygen() throws IOException {
        Path key = dir.resolve("key.hex");
        CliRun run = run("keygen", "--out", key.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(Address.parse(run.out().strip()).isPresent(), run.out());
        return key;
    }

    @Test
    void keygenWritesAKeyOnlyItsOwnerCanReadAndNeverOverwrites() throws IOException {
        Path key = keygen();
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key).strip().matches("0x[0-9a-f]{64}"));
        String before = Files.readString(key);
        CliRun again = run("keygen", "--out", key.toString());
        assertEquals(1, again.exit());
        assertEquals(before, Files.readString(key));
    }

    @Test
    void signWritesAMandateTheServerAcceptsAndPrintsItsId() throws IOException {
        Path key = keygen();
        Path out = dir.resolve("mandate.json");
        CliRun sign = run("mandate", "sign", "--key", key.toString(), "--agent", AGENT,
                "--budget", "10000000", "--per-task-max", "1000000", "--skills", "echo-paid,echo",
                "--expires-in", "30d", "--out", out.toString());
        assertEquals(0, sign.exit(), sign.err());
        String id = sign.out().strip().substring("id: ".length());

        MandateCheck check = new MandateVerifier(MandatePolicy.DEFAULT, Clock.systemUTC())
                .verify(Files.readString(out));
        Mandate mandate = assertInstanceOf(MandateCheck.Accepted.class, check).mandate();
        assertEquals(id, mandate.id().hex());
        assertEquals(new Party.Account(Address.of(AGENT)), mandate.agent());
        assertEquals(Amount.of(10_000_000), mandate.budget());
        assertEquals(List.of("echo-paid", "echo"), mandate.skills());

        CliRun verify = run("mandate", "verify", "--in", out.toString());
        assertEquals(0, verify.exit(), verify.out());
        assertTrue(verify.out().contains("id: " + id), verify.out());

        Path revocation = dir.resolve("revoke.json");
        CliRun revoke = run("mandate", "revoke", "--key", key.toString(), "--id", id, "--out",
                revocation.toString());
        assertEquals(0, revoke.exit(), revoke.err());
        Verification<?> revoked = new SignedRequests(new MandateVerifier(MandatePolicy.DEFAULT,
                Clock.systemUTC())).revocation(Files.readString(revocation), mandate);
        assertInstanceOf(Verification.Accepted.class, revoked, revoked::toString);
    }

    @Test
    void signRefusesWhatTheServerWouldRefuse() throws IOException {
        Path key = keygen();
        CliRun run = run("mandate", "sign", "--key", key.toString(), "--agent", AGENT,
                "--budget", "1000", "--per-task-max", "2000", "--expires-in", "1d");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("per_task_max_exceeds_budget"), run.err());
        CliRun badAgent = run("mandate", "sign", "--key", key.toString(), "--agent", "0x1234",
                "--budget", "1000", "--expires-in", "1d");
        assertEquals(2, badAgent.exit());
        assertTrue(badAgent.err().startsWith("purser: "), badAgent.err());
    }

    @Test
    void verifyReportsTheRefusalCode() throws IOException {
        Path key = keygen();
        Path out = dir.resolve("mandate.json");
        run("mandate", "sign", "--key", key.toString(), "--agent", AGENT, "--budget", "5",
                "--expires-in", "1h", "--out", out.toString());
        JsonNode body = JSON.readTree(out.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("mandate")).put("budget", "6");
        Files.writeString(out, body.toString());
        CliRun verify = run("mandate", "verify", "--in", out.toString());
        assertEquals(1, verify.exit());
        assertTrue(verify.out().startsWith("refused: signature_mismatch"), verify.out());
    }

    @Test
    void postSendsTheDocumentToTheRegistrationAndRevocationPaths() throws IOException {
        List<String> requests = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            byte[] answer = "{\"status\":\"active\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("GET") ? 200 : 201,
                    answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Path key = keygen();
            CliRun sign = run("mandate", "sign", "--key", key.toString(), "--agent", AGENT,
                    "--budget", "10000", "--expires-in", "1d", "--post", base);
            assertEquals(0, sign.exit(), sign.err());
            String id = sign.err().lines().filter(l -> l.startsWith("id: ")).findFirst()
                    .orElseThrow().substring(4);
            assertTrue(requests.getFirst().startsWith("POST /api/a2a/mandates application/json "
                    + "{\"mandate\":"), requests.getFirst());
            assertTrue(sign.out().contains("\"status\":\"active\""), sign.out());

            assertEquals(0, run("mandate", "revoke", "--key", key.toString(), "--id", id,
                    "--post", base + "/").exit());
            assertTrue(requests.get(1).startsWith("POST /api/a2a/mandates/" + id + "/revoke "),
                    requests.get(1));
            assertEquals(0, run("mandate", "inspect", "--id", id, "--server", base).exit());
            assertTrue(requests.get(2).startsWith("GET /api/a2a/mandates/" + id), requests.get(2));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void durationsReadShortAndIsoForms() {
        assertEquals(java.time.Duration.ofDays(30), SignCommand.duration("30d"));
        assertEquals(java.time.Duration.ofDays(14), SignCommand.duration("2w"));
        assertEquals(java.time.Duration.ofMinutes(90), SignCommand.duration("90m"));
        assertEquals(java.time.Duration.ofHours(12), SignCommand.duration("PT12H"));
    }
}
