package dev.purser.billing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.a2a.client.A2aCallException;
import dev.purser.a2a.client.AgentEndpoint;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.boot.EmbeddedDatabase;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.mandate.MandateExtension;
import dev.purser.testing.A2aJsAgent;
import dev.purser.testing.AppProcess;
import dev.purser.testing.LedgerAudit;
import dev.purser.testing.PaidBuyer;
import dev.purser.x402.Payer;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The crash matrix (issue 19): mandate-paid x402 tasks, each bought from a Purser halted by a
 * fault point ({@code PURSER_FAULT_POINT}) at one step of the paid flow — after the reservation,
 * after verification, after the work was stored, while settling, after settling before the
 * capture, and (a provider's service) after paying the provider before settling the caller —
 * then one restart on the same database and data directory. Each test checks its own point once
 * the reconciler and the sweeper converge: the buyer charged at most once (exactly once where the
 * payment settles), the provider paid once, the draw captured or released and never both,
 * nothing left reserved, the journal's hash chain and balances intact, and the same payment sent
 * again changing nothing. The crashes run one after the other and share the one restart, so the
 * class starts seven processes; the reconciler's and sweeper's clocks are made small.
 */
class CrashMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "crash-matrix-operator-token";
    private static final String PROVIDER_PAYEE = "0x00000000000000000000000000000000000c0ffe";
    /** The delegated case's name; the process is armed at after-work, past the provider's pay. */
    private static final String AFTER_PROVIDER_PAID = "after-provider-paid";
    private static final Map<String, Crashed> CRASHED = new HashMap<>();
    private static EmbeddedDatabase db;
    private static Path dir;
    private static A2aJsAgent provider;
    private static AppProcess restarted;

    @BeforeAll
    static void crashAtEveryPointThenRestart() throws Exception {
        dir = Files.createTempDirectory("purser-crash-matrix");
        db = EmbeddedDatabase.start(dir.resolve("db"));
        provider = A2aJsAgent.start(A2aJsAgent.Settings.echo().named("paid")
                .priced(400, PROVIDER_PAYEE));
        provider.configure(Map.of("skill", "crash-echo"));
        for (String point : FaultPoints.POINTS) {
            CRASHED.put(point, crash(point, point, "echo-paid"));
        }
        CRASHED.put(AFTER_PROVIDER_PAID, crash(AFTER_PROVIDER_PAID, FaultPoints.AFTER_WORK,
                "crash-echo"));
        assertEquals(1, provider.payments().size(), "the provider was paid before the crash");
        restarted = start("restart", null);
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        if (restarted != null) {
            restarted.kill();
        }
        if (provider != null) {
            provider.close();
        }
        if (db != null) {
            db.close();
        }
        RestAssured.reset();
    }

    @Test
    void aCrashAfterTheReservationReleasesItAndTheSamePaymentThenPaysOnce() throws Exception {
        Crashed c = CRASHED.get(FaultPoints.AFTER_RESERVE);
        // Nothing was claimed: the sweeper returns the hold; the buyer's retry is a new purchase.
        awaitReserved(c.buyer.mandateId());
        assertEquals(0, settlements(c.payment), "nothing was settled");
        Task retried = c.buyer.pay(purser(c), c.asked, c.payment);
        assertEquals(TaskState.COMPLETED, retried.state(), retried::toString);
        converged(c, TaskState.COMPLETED, 1);
    }

    @Test
    void aCrashAfterVerificationFailsTheTaskAndChargesNothing() throws Exception {
        converged(CRASHED.get(FaultPoints.AFTER_VERIFY), TaskState.FAILED, 0);
    }

    @Test
    void aCrashAfterTheWorkWasStoredSettlesOnce() throws Exception {
        converged(CRASHED.get(FaultPoints.AFTER_WORK), TaskState.COMPLETED, 1);
    }

    @Test
    void aCrashWhileSettlingIsSettledOnceByTheReconciler() throws Exception {
        Crashed c = CRASHED.get(FaultPoints.DURING_SETTLE);
        converged(c, TaskState.COMPLETED, 1);
    }

    @Test
    void aCrashAfterSettlingBeforeTheCaptureCapturesOnce() throws Exception {
        Crashed c = CRASHED.get(FaultPoints.AFTER_SETTLE);
        assertEquals(1, settlements(c.payment), "the facilitator settled before the crash");
        converged(c, TaskState.COMPLETED, 1);
    }

    @Test
    void aCrashAfterPayingTheProviderSettlesTheCallerOnceAndNeverPaysTheProviderAgain()
            throws Exception {
        Crashed c = CRASHED.get(AFTER_PROVIDER_PAID);
        Task done = converged(c, TaskState.COMPLETED, 1);
        assertEquals("crash", done.artifacts().getFirst().parts().getFirst().text());
        assertEquals("payment-completed", done.status().message().metadata()
                .get("x402.payment.status").asText());
        assertEquals(1, provider.payments().size(), "the provider was never paid again");
        assertEquals(1, provider.tasks(), "nor asked again");
    }

    /** What the buyer holds after its Purser died: the task it asked for and its payment. */
    private record Crashed(PaidBuyer buyer, Task asked, Payer.Signed payment) {
    }

    /** Buys {@code skill} from a Purser armed at {@code point}; answers once it halted there. */
    private static Crashed crash(String name, String point, String skill) throws Exception {
        AppProcess app = start(name, point);
        try {
            PaidBuyer buyer = PaidBuyer.withMandate(1_000_000);
            if (!"echo-paid".equals(skill)) {
                register(provider.cardUrl());
            }
            AgentEndpoint purser = buyer.endpoint(app.baseUrl());
            Task asked = buyer.ask(purser, skill, "crash");
            Payer.Signed payment = buyer.sign(asked);
            try {
                Task answered = buyer.pay(purser, asked, payment);
                throw new AssertionError(point + " was never reached: " + answered);
            } catch (A2aCallException expected) {
                // the connection died with the process
            }
            for (int i = 0; i < 100 && app.isAlive(); i++) {
                Thread.sleep(100);
            }
            assertFalse(app.isAlive(), "the fault point " + point + " halted Purser");
            return new Crashed(buyer, asked, payment);
        } finally {
            app.kill();
        }
    }

    private static AgentEndpoint purser(Crashed c) throws A2aCallException {
        return c.buyer.endpoint(restarted.baseUrl());
    }

    /**
     * The reconciler converged: the task ended in {@code state}, the buyer's authorization was
     * settled {@code charged} times (0 or 1), the envelope spent exactly that, nothing is left
     * reserved, each reservation was captured or released once, the journal audits, and the same
     * payment sent once more changes none of it.
     */
    private static Task converged(Crashed c, TaskState state, int charged) throws Exception {
        Task done = c.buyer.awaitEnd(purser(c), c.asked.id());
        assertEquals(state, done.state(), done::toString);
        awaitReserved(c.buyer.mandateId());
        long price = c.payment.amount();
        for (int round = 0; round < 2; round++) {
            assertEquals(charged, settlements(c.payment), "the buyer's authorization settled");
            JsonPath e = envelope(c.buyer.mandateId());
            assertEquals(charged * price, Long.parseLong(e.getString("spent")));
            assertEquals(0, Long.parseLong(e.getString("reserved")));
            Map<String, Integer> kinds = entryTypes(c.buyer.mandateId());
            assertEquals(kinds.getOrDefault("reserve", 0), kinds.getOrDefault("capture", 0)
                    + kinds.getOrDefault("release", 0), "each hold captured or released once: " + kinds);
            assertEquals(charged, kinds.getOrDefault("capture", 0), kinds::toString);
            assertEquals(charged, LedgerAudit.overHttp(Bytes32.fromHex(c.buyer.mandateId()),
                    Long.parseLong(e.getString("spent")), Long.parseLong(e.getString("reserved")),
                    Long.parseLong(e.getString("remaining")), 84532, signer()).size());
            if (round == 0) {
                resend(c);
            }
        }
        return done;
    }

    /** The same payment once more: answered as stored or refused, never drawn again. */
    private static void resend(Crashed c) throws A2aCallException {
        try {
            Task again = c.buyer.pay(purser(c), c.asked, c.payment);
            assertTrue(again.state().isTerminal(), again::toString);
        } catch (A2aCallException refused) {
            // a terminal task may refuse another turn; what matters is the ledger after it
        }
    }

    /**
     * An armed process keeps the default clocks (its reconciler must not take its own payment for
     * dead on a loaded machine), but its holds expire in seconds where the crash leaves one to the
     * sweeper (after-reserve); the restart's reconciler takes a dead instance's payment up in
     * seconds.
     */
    private static AppProcess start(String name, String faultPoint) throws Exception {
        AppProcess.Launch launch = AppProcess.jar("crash-matrix-" + name, AppProcess.freePort())
                .env("PURSER_DATA_DIR", dir.resolve("app").toString())
                .env("PURSER_OPERATOR_TOKEN", TOKEN).env("PURSER_MARKET_ALLOW_PRIVATE", "true")
                .env("PURSER_DB_URL", db.jdbcUrl()).env("PURSER_DB_USER", db.user())
                .env("PURSER_DB_PASSWORD", "").env("PURSER_DB_POOL_SIZE", "8")
                .env("PURSER_SWEEP_INTERVAL", "1s");
        if (faultPoint == null) {
            launch.unset("PURSER_FAULT_POINT").env("PURSER_WORK_STALE", "5s")
                    .env("PURSER_RECONCILE_INTERVAL", "1s").env("PURSER_SETTLE_TIMEOUT", "1s")
                    .env("PURSER_SETTLING_STALE", "5s");
        } else {
            launch.env("PURSER_FAULT_POINT", faultPoint);
            if (faultPoint.equals(FaultPoints.AFTER_RESERVE)) {
                launch.env("PURSER_RESERVATION_TTL", "3s");
            }
        }
        AppProcess started = launch.start();
        RestAssured.port = started.port();
        return started;
    }

    private static JsonPath envelope(String mandateId) {
        return given().get("/api/a2a/mandates/" + mandateId).then().statusCode(200).extract()
                .jsonPath();
    }

    /** Polls until nothing is reserved on the envelope (at most 30 s). */
    private static void awaitReserved(String mandateId) throws InterruptedException {
        for (int i = 0; i < 300
                && Long.parseLong(envelope(mandateId).getString("reserved")) != 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, Long.parseLong(envelope(mandateId).getString("reserved")));
    }

    private static void register(String cardUrl) {
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                .body("{\"cardUrl\": \"" + cardUrl + "\", \"fee\": {\"amount\": \"100\"}}")
                .post("/api/market/providers").then().statusCode(201);
    }

    /** How many entries of each type the envelope's journal holds. */
    private static Map<String, Integer> entryTypes(String mandateId) throws Exception {
        JsonNode page = JSON.readTree(given().get("/api/a2a/mandates/" + mandateId
                + "/ledger?limit=1000").then().statusCode(200).extract().asString());
        Map<String, Integer> kinds = new HashMap<>();
        page.get("entries").forEach(e -> kinds.merge(e.get("type").asText(), 1, Integer::sum));
        return kinds;
    }

    private static Address signer() {
        return Address.of(given().get("/.well-known/agent-card.json").then().statusCode(200)
                .extract().jsonPath().getString("capabilities.extensions.find { it.uri == '"
                        + MandateExtension.URI + "' }.params.receiptSigner"));
    }

    /** How many times the embedded facilitator settled this authorization (its nonce). */
    private static int settlements(Payer.Signed payment) throws Exception {
        try (Connection conn = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
                PreparedStatement ps = conn.prepareStatement(
                        "select count(*) from x402_settlement where nonce = ?")) {
            ps.setString(1, payment.nonce().hex());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
