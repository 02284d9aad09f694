package dev.purser.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.CallOptions;
import dev.purser.a2a.client.PaidResult;
import dev.purser.a2a.client.PaidSend;
import dev.purser.a2a.client.RemoteCard;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.billing.PaymentGate;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.ledger.EnvelopeSpec;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.OpenResult;
import dev.purser.market.Candidate;
import dev.purser.market.Outcome;
import dev.purser.market.RouteMode;
import dev.purser.market.Router;
import dev.purser.money.Asset;
import dev.purser.testing.A2aJsAgent;
import dev.purser.testing.Rpc;
import dev.purser.x402.Payer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The task page of a paid task and of a delegated one in a real headless Chromium: what it shows
 * is what the API's {@code GetTask} answers the same (anonymous) caller.
 */
@QuarkusTest
@TestProfile(ConsoleProfile.class)
class ConsoleTaskBrowserTest extends BrowserTests {

    private static final CallOptions OPTIONS = CallOptions.timeout(Duration.ofSeconds(30));
    private static final Asset USDC = Asset.usdcOn("eip155:84532").orElseThrow();

    @Inject
    Router router;

    @Inject
    Envelopes envelopes;

    private final List<String> providers = new ArrayList<>();
    private final List<A2aJsAgent> agents = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        providers.forEach(p -> given().header("Authorization", "Bearer " + ConsoleProfile.TOKEN)
                .delete("/api/market/providers/" + p).then().statusCode(200));
        agents.forEach(A2aJsAgent::close);
    }

    @Test
    void aPaidTasksPageShowsItsPaymentsAndReceiptsAsGetTaskDoes() throws Exception {
        PaidResult bought = buy("echo-paid", "paid hello", Map.of(), 10_000);
        Task task = bought.task().orElseThrow();
        assertEquals(TaskState.COMPLETED, task.state(), task::toString);

        JsonPath api = getTask(task.id());
        open(task.id(), "the paid task's page");
        assertMatchesTheApi(api);
        assertEquals("payment-completed", api.getString(
                "result.status.message.metadata.'x402.payment.status'"));
        assertEquals("payment-completed", browser.find("#task-payment").getAttribute("data-status"));
        List<Map<String, Object>> receipts = api.getList(
                "result.status.message.metadata.'x402.payment.receipts'");
        assertEquals(1, receipts.size(), "one settlement receipt");
        assertEquals(List.of(receipts.getFirst().get("transaction")),
                browser.all("#task-receipts tr[data-transaction]").stream()
                        .map(e -> e.getAttribute("data-transaction")).toList());
        assertTrue(browser.find("#task-receipts").getText()
                .contains(String.valueOf(receipts.getFirst().get("payer"))));
        // What the caller's payment message authorized, read from its history.
        assertTrue(browser.find("#task-history").getText().contains("0.01 USDC authorized"),
                browser.find("#task-history").getText());
        assertTrue(browser.find("#delegation").getText().contains("not delegated"));
        browser.screenshots("task-paid");
    }

    @Test
    void aMandateDrawnTasksPageShowsItsSignedReceiptWhichTheEnvelopePageVerifies() throws Exception {
        Payer payer = payer();
        byte[] id = new byte[32];
        new SecureRandom().nextBytes(id);
        OpenResult opened = envelopes.open(EnvelopeSpec.root(new Bytes32(id), payer.address(),
                payer.address(), Address.of(USDC.address()), USDC.network(), 50_000)
                .withLimits(EnvelopeSpec.Limits.NONE));
        assertTrue(opened instanceof OpenResult.Opened, opened.toString());
        String envelope = new Bytes32(id).hex();

        Task task = buy(payer, "echo-paid", "drawn hello",
                Map.of(PaymentGate.MANDATE_KEY, envelope), 10_000).task().orElseThrow();
        assertEquals(TaskState.COMPLETED, task.state(), task::toString);

        JsonPath api = getTask(task.id());
        String receipt = "result.status.message.metadata.'" + PaymentGate.LEDGER_RECEIPT_KEY + "'";
        assertEquals(envelope, api.getString(receipt + ".mandateId"));
        open(task.id(), "the mandate-drawn task's page");
        assertMatchesTheApi(api);
        assertTrue(browser.find("#ledger-receipt").getText()
                .contains(api.getString(receipt + ".entryHash")));
        browser.screenshots("task-drawn");

        browser.find("#ledger-receipt a").click();
        browser.waitFor(d -> browser.all("#receipts-status[data-result]").size() == 1);
        assertNoConsoleError("the envelope page the task links");
        assertEquals("verified", browser.find("#receipts-status").getAttribute("data-result"),
                browser.find("#receipts-status").getText());
        assertEquals("verified", browser.find("#receipts tr[data-entry='"
                + api.getString(receipt + ".entryHash") + "']").getAttribute("data-verdict"));
    }

    @Test
    void aDelegatedTasksPageShowsItsAttemptsInOrderAsGetTaskDoes() throws Exception {
        A2aJsAgent broken = agent(A2aJsAgent.Settings.echo().named("console broken").failing());
        A2aJsAgent working = agent(A2aJsAgent.Settings.echo().named("console working"));
        String skills = ", \"skills\": {\"console-relay\": {\"price\": \"700\"}}";
        String first = register(broken.cardUrl(), skills);
        String second = register(working.cardUrl(), skills);
        // The broken offer has the faster history, so routing by speed tries it first.
        record(first, 5);
        record(second, 900);

        PaidResult bought = buy("console-relay", "delegated hello", Map.of("purser.route", "speed"),
                700);
        Task task = bought.task().orElseThrow();
        assertEquals(TaskState.COMPLETED, task.state(), task::toString);

        JsonPath api = getTask(task.id());
        assertEquals(List.of(first, second), api.getList("result.metadata.'purser.delegation'"
                + ".attempts.provider"));
        open(task.id(), "the delegated task's page");
        assertMatchesTheApi(api);
        assertEquals(api.getString("result.metadata.'purser.delegation'.provider"),
                browser.find("#delegation-provider").getAttribute("data-provider"));
        List<String> attempts = new ArrayList<>();
        List<Map<String, Object>> tried = api.getList("result.metadata.'purser.delegation'.attempts");
        tried.forEach(a -> attempts.add(a.get("provider") + ":" + a.get("outcome")));
        assertEquals(attempts, browser.all("#attempts tr[data-outcome]").stream()
                .map(e -> e.getAttribute("data-provider") + ":" + e.getAttribute("data-outcome"))
                .toList());
        assertEquals(List.of("failed", "completed"), tried.stream().map(a -> a.get("outcome"))
                .toList());
        assertEquals(api.getList("result.status.message.metadata.'x402.payment.receipts'").size(),
                browser.all("#task-receipts tr[data-transaction]").size());
        assertFalse(browser.all("#task-receipts tr[data-transaction]").isEmpty(), "it was paid");
        browser.screenshots("task-delegated");
    }

    private void assertMatchesTheApi(JsonPath api) {
        assertEquals(api.getString("result.id"), browser.find("#task-id").getText());
        assertEquals(api.getString("result.status.state"),
                browser.find("#task-state").getAttribute("data-state"));
        assertEquals(api.getList("result.history.role"), browser.all("#task-history li[data-role]")
                .stream().map(e -> e.getAttribute("data-role")).toList());
        assertEquals(java.util.Objects.toString(api.getString(
                "result.status.message.metadata.'x402.payment.status'"), ""),
                browser.find("#task-payment").getAttribute("data-status"));
    }

    private void open(String taskId, String page) {
        browser.consoleErrors();
        browser.open(url("/tasks/" + taskId));
        assertNoConsoleError(page);
    }

    private static JsonPath getTask(String id) {
        JsonPath api = Rpc.v10().call("GetTask", Map.of("id", id));
        assertEquals(id, api.getString("result.id"), api.prettify());
        return api;
    }

    private static Payer payer() {
        return Payer.of(Secp256k1Key.generate(new SecureRandom()), Clock.systemUTC());
    }

    private PaidResult buy(String skill, String text, Map<String, String> metadata, long max)
            throws Exception {
        return buy(payer(), skill, text, metadata, max);
    }

    /** Buys {@code skill} as an anonymous agent paying with x402, up to {@code max}. */
    private PaidResult buy(Payer payer, String skill, String text, Map<String, String> metadata,
            long max) throws Exception {
        A2aClient client = new A2aClient();
        RemoteCard purser = client.card(url(""), OPTIONS);
        ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", skill);
        metadata.forEach(md::put);
        return new PaidSend(client, payer).send(purser.endpoint(), A2aClient.userMessage(text, md),
                USDC, max, Payer.nonceFor(UUID.randomUUID().toString(), "buyer"), OPTIONS, null);
    }

    private A2aJsAgent agent(A2aJsAgent.Settings settings) {
        A2aJsAgent a = A2aJsAgent.start(settings);
        agents.add(a);
        a.configure(Map.of("skill", "console-relay"));
        return a;
    }

    private String register(String cardUrl, String extra) {
        String id = given().header("Authorization", "Bearer " + ConsoleProfile.TOKEN)
                .contentType("application/json").body("{\"cardUrl\": \"" + cardUrl + "\"" + extra + "}")
                .post("/api/market/providers").then().statusCode(201).extract().path("id");
        providers.add(id);
        return id;
    }

    private void record(String providerId, long ms) {
        Candidate offer = router.route("console-relay", RouteMode.SPEED, Optional.of(providerId))
                .getFirst();
        router.record(offer, Outcome.COMPLETED, ms);
    }

}
