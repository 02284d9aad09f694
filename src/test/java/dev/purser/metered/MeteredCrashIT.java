package dev.purser.metered;

import static dev.purser.metered.Metered.buyer;
import static dev.purser.metered.Metered.chat;
import static dev.purser.metered.Metered.cost;
import static dev.purser.metered.Metered.modelId;
import static dev.purser.metered.Metered.prices;
import static dev.purser.metered.Metered.upstream;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.mandate.MandateExtension;
import dev.purser.testing.AppProcess;
import dev.purser.testing.LedgerAudit;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 during metered calls (issue 17): one call's stream had begun (the caller had bytes), the
 * other had sent nothing yet (its upstream hangs). After a restart on the same data directory the
 * reconciler resolves each reservation exactly once — the streamed one captured in full (its usage
 * is unknown), the silent one released — and never leaves one behind: reserved back to 0, the
 * ledger's chain intact.
 */
class MeteredCrashIT {

    private static final long IN = 1_000_000;
    private static final long OUT = 1_000_000;
    private static final int MAX_TOKENS = 30;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .build();

    @AfterEach
    void resetRestAssured() {
        RestAssured.reset();
    }

    @Test
    void aKillDuringCallsLeavesEachReservationResolvedOnceAfterRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("purser-metered-crash");
        int port = AppProcess.freePort();
        RestAssured.port = port;
        try (FakeOpenAiUpstream streaming = FakeOpenAiUpstream.start();
                FakeOpenAiUpstream silent = FakeOpenAiUpstream.start()) {
            streaming.always(UpstreamReply.text("one two three four five").stallStream(2));
            silent.always(UpstreamReply.hang());
            AppProcess first = start(dataDir, port, 1);
            String streamed;
            String hung;
            ObjectNode streamRequest;
            try {
                String streamModel = modelId("crash-stream");
                String silentModel = modelId("crash-silent");
                upstream(streaming.baseUrl(), Map.of(streamModel, prices(IN, OUT)));
                upstream(silent.baseUrl(), Map.of(silentModel, prices(IN, OUT)));
                Metered.Buyer a = buyer(1_000_000, List.of());
                Metered.Buyer b = buyer(1_000_000, List.of());
                streamed = a.mandateId();
                hung = b.mandateId();

                streamRequest = chat(streamModel, "tell me a long story")
                        .put("max_tokens", MAX_TOKENS).put("stream", true);
                HttpResponse<java.io.InputStream> stream = send(port, a.secret(), streamRequest);
                assertEquals(200, stream.statusCode());
                BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = lines.readLine()) != null && !line.startsWith("data:")) {
                    // up to the first event: the caller has its first byte
                }
                assertTrue(line != null && line.startsWith("data:"), "the stream began");

                http.sendAsync(request(port, b.secret(), chat(silentModel, "anyone there?")
                        .put("max_tokens", MAX_TOKENS)), HttpResponse.BodyHandlers.discarding());
                assertEquals(1, silent.awaitCalls(1, Duration.ofSeconds(20)).size(),
                        "the silent call reached its upstream");
                assertTrue(Metered.reserved(streamed) > 0 && Metered.reserved(hung) > 0,
                        "both calls hold their worst case");
            } finally {
                first.kill();
            }

            AppProcess second = start(dataDir, port, 2);
            try {
                awaitResolved(streamed);
                awaitResolved(hung);
                long worstCase = cost(Metered.inputBound(streamRequest.get("messages")), MAX_TOKENS,
                        IN, OUT);
                assertEquals(worstCase, Metered.spent(streamed),
                        "the begun stream is captured in full, once");
                assertEquals(0, Metered.spent(hung), "the call that sent nothing is released");
                Address signer = Address.of(given().get("/.well-known/agent-card.json").then()
                        .statusCode(200).extract().jsonPath().getString(
                                "capabilities.extensions.find { it.uri == '" + MandateExtension.URI
                                        + "' }.params.receiptSigner"));
                assertEquals(1, audit(streamed, signer).size());
                assertEquals(0, audit(hung, signer).size());
            } finally {
                second.stop();
            }
        }
    }

    private static AppProcess start(Path dataDir, int port, int run) throws Exception {
        return AppProcess.jar("metered-crash-" + run, port)
                .env("PURSER_DATA_DIR", dataDir.toString()).unset("PURSER_DB_URL")
                .env("PURSER_OPERATOR_TOKEN", MeteredProfile.TOKEN)
                .env("PURSER_MARKET_ALLOW_PRIVATE", "true")
                .env("PURSER_METERED_STALE", "3s").env("PURSER_METERED_HEARTBEAT", "1s")
                .env("PURSER_DELEGATION_TIMEOUT", "120s").start();
    }

    private HttpRequest request(int port, String secret, ObjectNode body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private HttpResponse<java.io.InputStream> send(int port, String secret, ObjectNode body)
            throws Exception {
        return http.send(request(port, secret, body), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static void awaitResolved(String mandateId) throws InterruptedException {
        for (int i = 0; i < 300 && Metered.reserved(mandateId) > 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, Metered.reserved(mandateId), "the reconciler resolved the reservation");
    }

    private static List<dev.purser.ledger.Receipt> audit(String mandateId, Address signer)
            throws Exception {
        JsonPath e = Metered.envelope(mandateId);
        return LedgerAudit.overHttp(Bytes32.fromHex(mandateId), Long.parseLong(e.getString("spent")),
                Long.parseLong(e.getString("reserved")), Long.parseLong(e.getString("remaining")),
                84532, signer);
    }
}
