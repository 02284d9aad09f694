package dev.purser.delegation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aCallException;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.CallOptions;
import dev.purser.a2a.client.PaidSend;
import dev.purser.a2a.client.RemoteCard;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.money.Asset;
import dev.purser.testing.A2aJsAgent;
import dev.purser.testing.AppProcess;
import dev.purser.x402.Payer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The crash window of delegation (issue 14, point 7): Purser is killed after it paid the provider
 * and stored the provider's work, before it settled the buyer's payment. After a restart on the
 * same data directory the reconciler settles the buyer once, the task completes with the work, and
 * the provider was paid once — never twice, never lost.
 */
class DelegationCrashIT {

    private static final String TOKEN = "crash-operator-token";
    private static final CallOptions OPTIONS = CallOptions.timeout(Duration.ofSeconds(30));
    private static final Asset USDC = Asset.usdcOn("eip155:84532").orElseThrow();
    private static final String PROVIDER_PAYEE = "0x00000000000000000000000000000000000c0ffe";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKillBetweenPayingTheProviderAndSettlingTheBuyerSettlesTheBuyerOnceAfterRestart()
            throws Exception {
        Path dataDir = Files.createTempDirectory("purser-delegation-crash");
        int port = AppProcess.freePort();
        try (A2aJsAgent provider = A2aJsAgent.start(A2aJsAgent.Settings.echo().named("paid")
                .priced(400, PROVIDER_PAYEE))) {
            provider.configure(java.util.Map.of("skill", "crash-echo"));
            AppProcess first = start(dataDir, port, true);
            String taskId;
            try {
                register(port, provider.cardUrl());
                taskId = buyAndLoseTheAnswer(port);
                assertTrue(waitDead(first), "the fault point halted Purser");
            } finally {
                first.kill();
            }
            assertEquals(1, provider.payments().size(), "the provider was paid before the crash");

            AppProcess second = start(dataDir, port, false);
            try {
                Task done = awaitEnd(port, taskId);
                assertEquals(TaskState.COMPLETED, done.state(), done::toString);
                assertEquals("crash", done.artifacts().getFirst().parts().getFirst().text());
                assertEquals("payment-completed", done.status().message().metadata()
                        .get("x402.payment.status").asText());
                assertEquals(1, provider.payments().size(), "the provider was never paid again");
                assertEquals(1, provider.tasks());
            } finally {
                second.stop();
            }
        }
    }

    private static AppProcess start(Path dataDir, int port, boolean fault) throws Exception {
        AppProcess.Launch launch = AppProcess.jar("delegation-crash-" + (fault ? 1 : 2), port)
                .env("PURSER_DATA_DIR", dataDir.toString()).unset("PURSER_DB_URL")
                .env("PURSER_OPERATOR_TOKEN", TOKEN).env("PURSER_MARKET_ALLOW_PRIVATE", "true")
                .env("PURSER_PAY_TO", "0x00000000000000000000000000000000000d1e9a")
                .env("PURSER_WORK_STALE", "2s").env("PURSER_RECONCILE_INTERVAL", "1s");
        if (fault) {
            launch.env("PURSER_FAULT_POINT", "after-work");
        } else {
            launch.unset("PURSER_FAULT_POINT");
        }
        return launch.start();
    }

    private void register(int port, String cardUrl) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/market/providers"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"cardUrl\": \"" + cardUrl
                        + "\", \"fee\": {\"amount\": \"100\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }

    /** Buys the service; Purser dies before it answers the payment turn. Answers the task id. */
    private static String buyAndLoseTheAnswer(int port) throws Exception {
        A2aClient client = new A2aClient();
        RemoteCard purser = client.card("http://localhost:" + port, OPTIONS);
        Payer payer = Payer.of(Secp256k1Key.generate(new SecureRandom()), Clock.systemUTC());
        ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", "crash-echo");
        String[] taskId = {null};
        try {
            new PaidSend(client, payer).send(purser.endpoint(), A2aClient.userMessage("crash", md),
                    USDC, 500, Payer.nonceFor(UUID.randomUUID().toString(), "buyer"), OPTIONS,
                    e -> {
                        if (taskId[0] == null && e instanceof dev.purser.a2a.spec.StreamEvent.OfTask t) {
                            taskId[0] = t.task().id();
                        }
                    });
        } catch (A2aCallException expected) {
            // the connection died with the server
        }
        assertFalse(taskId[0] == null, "the task was created before the crash");
        return taskId[0];
    }

    private static boolean waitDead(AppProcess app) throws InterruptedException {
        for (int i = 0; i < 100 && app.isAlive(); i++) {
            Thread.sleep(100);
        }
        return !app.isAlive();
    }

    private static Task awaitEnd(int port, String taskId) throws Exception {
        A2aClient client = new A2aClient();
        RemoteCard purser = client.card("http://localhost:" + port, OPTIONS);
        Task t = client.get(purser.endpoint(), taskId, OPTIONS);
        for (int i = 0; i < 300 && !t.state().isTerminal(); i++) {
            Thread.sleep(100);
            t = client.get(purser.endpoint(), taskId, OPTIONS);
        }
        return t;
    }
}
