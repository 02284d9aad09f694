package dev.purser.a2a.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Bytes32;
import dev.purser.money.Asset;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.A2aJsAgent;
import dev.purser.x402.Payer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against an agent built on the official @a2a-js/sdk server, in both versions. */
class A2aJsAgentClientTest {

    private static final CallOptions OPTIONS = CallOptions.timeout(Duration.ofSeconds(20));
    private static final Asset USDC = Asset.BASE_SEPOLIA_USDC;
    private static final String PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C";

    private static A2aJsAgent echo;
    private static RemoteCard card;
    private final A2aClient client = new A2aClient();

    @BeforeAll
    static void start() throws Exception {
        echo = A2aJsAgent.start();
        try (A2aClient c = new A2aClient()) {
            card = c.card(echo.baseUrl(), OPTIONS);
        }
    }

    @AfterAll
    static void stop() {
        if (echo != null) {
            echo.close();
        }
    }

    /** An echo asking 10000 atomic units of Base Sepolia USDC per task. */
    private static A2aJsAgent pricedAgent() {
        return A2aJsAgent.start(A2aJsAgent.Settings.echo().priced(10_000, PAY_TO));
    }

    /** The paid turn, paying from a fresh key. */
    private PaidSend paidSend() {
        return new PaidSend(client, Payer.of(Secp256k1Key.generate(new SecureRandom()),
                Clock.systemUTC()));
    }

    private static String artifactText(SendResult r) {
        Task t = assertInstanceOf(SendResult.OfTask.class, r).task();
        return t.artifacts().getFirst().parts().getFirst().text();
    }

    @Test
    void theCardTellsBothInterfacesAndStreaming() {
        assertEquals("a2a-js echo", card.name());
        assertEquals(A2aVersion.V1_0, card.endpoint().version());
        assertEquals(echo.rpcUrl(), card.endpoint().url().toString());
        assertEquals(echo.rpcUrl(), card.endpoint(A2aVersion.V0_3).orElseThrow().url().toString());
        assertTrue(card.streaming());
        assertEquals(List.of("echo"), card.skillIds());
    }

    @Test
    void aCardOnlyAtTheOldPathIsFoundFromTheBaseUrlOrTheNewPath() throws Exception {
        try (A2aJsAgent old = A2aJsAgent.start(A2aJsAgent.Settings.echo().named("old path")
                .cardAtAgentJson())) {
            assertEquals("old path", client.card(old.baseUrl(), OPTIONS).name());
            assertEquals("old path", client.card(old.baseUrl() + "/.well-known/agent-card.json",
                    OPTIONS).name());
        }
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void aBlockingSendEchoes(A2aVersion version) throws Exception {
        AgentEndpoint agent = card.endpoint(version).orElseThrow();
        SendResult r = client.send(agent, A2aClient.userMessage("hello " + version, null), OPTIONS);
        assertEquals(TaskState.COMPLETED, ((SendResult.OfTask) r).task().state());
        assertEquals("hello " + version, artifactText(r));
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void aStreamDeliversTheTaskThenUpdatesToTheEnd(A2aVersion version) throws Exception {
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        SendResult r = client.stream(card.endpoint(version).orElseThrow(),
                A2aClient.userMessage("streamed", null), OPTIONS, events::add);
        assertInstanceOf(StreamEvent.OfTask.class, events.getFirst());
        assertTrue(events.stream().anyMatch(e -> e instanceof StreamEvent.ArtifactUpdate));
        assertEquals(TaskState.COMPLETED, events.getLast().state());
        assertEquals("streamed", artifactText(r));
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void aFollowUpContinuesTheSameRemoteTask(A2aVersion version) throws Exception {
        AgentEndpoint agent = card.endpoint(version).orElseThrow();
        Message noText = new Message(UUID.randomUUID().toString(), Role.USER, List.of(new Part(
                null, null, null, JsonNodeFactory.instance.objectNode().put("k", 1), null, null,
                "application/json")), null, null, null, null, null);
        Task waiting = ((SendResult.OfTask) client.send(agent, noText, OPTIONS)).task();
        assertEquals(TaskState.INPUT_REQUIRED, waiting.state());

        SendResult done = client.send(agent, A2aClient.followUp(A2aClient.userMessage("later",
                null), waiting.id(), waiting.contextId()), OPTIONS);
        assertEquals(waiting.id(), ((SendResult.OfTask) done).task().id());
        assertEquals("later", artifactText(done));
        assertEquals(TaskState.COMPLETED, client.get(agent, waiting.id(), OPTIONS).state());
    }

    @Test
    void aRunningTaskIsCanceledAndItsStreamEndsCanceled() throws Exception {
        try (A2aJsAgent slow = A2aJsAgent.start(A2aJsAgent.Settings.echo().slow(
                Duration.ofSeconds(30)))) {
            AgentEndpoint agent = client.card(slow.cardUrl(), OPTIONS).endpoint();
            CountDownLatch started = new CountDownLatch(1);
            List<StreamEvent> events = new CopyOnWriteArrayList<>();
            CompletableFuture<SendResult> streamed = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.stream(agent, A2aClient.userMessage("never", null),
                            CallOptions.timeout(Duration.ofSeconds(60)), e -> {
                                events.add(e);
                                started.countDown();
                            });
                } catch (A2aCallException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(started.await(20, TimeUnit.SECONDS));
            String taskId = events.getFirst().taskId();

            Task canceled = client.cancel(agent, taskId, OPTIONS);
            assertEquals(TaskState.CANCELED, canceled.state());
            SendResult end = streamed.get(30, TimeUnit.SECONDS);
            assertEquals(TaskState.CANCELED, ((SendResult.OfTask) end).task().state());
            assertEquals(1, slow.cancels());
        }
    }

    @Test
    void failuresAreToldApart() throws Exception {
        AgentEndpoint agent = card.endpoint();
        A2aCallException notFound = assertThrows(A2aCallException.class,
                () -> client.get(agent, "no-such-task", OPTIONS));
        assertEquals(A2aCallException.Kind.RPC_ERROR, notFound.kind());
        assertEquals(-32001, notFound.rpcCode());

        AgentEndpoint notA2a = AgentEndpoint.of(echo.baseUrl() + "/control", A2aVersion.V1_0);
        assertEquals(A2aCallException.Kind.BAD_ANSWER, assertThrows(A2aCallException.class,
                () -> client.send(notA2a, A2aClient.userMessage("x", null), OPTIONS)).kind());

        AgentEndpoint gone;
        try (A2aJsAgent shortLived = A2aJsAgent.start()) {
            gone = AgentEndpoint.of(shortLived.rpcUrl(), A2aVersion.V1_0);
        }
        assertEquals(A2aCallException.Kind.UNREACHABLE, assertThrows(A2aCallException.class,
                () -> client.send(gone, A2aClient.userMessage("x", null), OPTIONS)).kind());
    }

    @Test
    void aSlowAgentTimesOutAndAFailingOneAnswersFailed() throws Exception {
        try (A2aJsAgent slow = A2aJsAgent.start(A2aJsAgent.Settings.echo().slow(
                Duration.ofSeconds(30)))) {
            AgentEndpoint agent = AgentEndpoint.of(slow.rpcUrl(), A2aVersion.V1_0);
            CallOptions brief = CallOptions.timeout(Duration.ofMillis(500));
            assertEquals(A2aCallException.Kind.TIMEOUT, assertThrows(A2aCallException.class,
                    () -> client.send(agent, A2aClient.userMessage("x", null), brief)).kind());
            assertEquals(A2aCallException.Kind.TIMEOUT, assertThrows(A2aCallException.class,
                    () -> client.stream(agent, A2aClient.userMessage("x", null), brief, e -> {
                    })).kind());

            slow.configure(Map.of("delayMs", 0, "fail", true));
            SendResult failed = client.send(agent, A2aClient.userMessage("x", null), OPTIONS);
            assertEquals(TaskState.FAILED, ((SendResult.OfTask) failed).task().state());
        }
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void aPriceUpToTheMaximumIsPaidOnceAndTheAgentVerifiesItWithViem(A2aVersion version)
            throws Exception {
        for (int x402Version : new int[] {1, 2}) {
            try (A2aJsAgent paid = A2aJsAgent.start(A2aJsAgent.Settings.echo()
                    .priced(10_000, PAY_TO).x402Version(x402Version))) {
                AgentEndpoint agent = client.card(paid.cardUrl(), OPTIONS).endpoint(version)
                        .orElseThrow();
                Payer payer = Payer.of(Secp256k1Key.generate(new SecureRandom()),
                        Clock.systemUTC());
                Bytes32 nonce = Payer.nonceFor(UUID.randomUUID().toString(), "a2a-js");
                PaidResult r = new PaidSend(client, payer).send(agent,
                        A2aClient.userMessage("paid echo", null), USDC, 10_000, nonce, OPTIONS,
                        null);

                assertEquals(TaskState.COMPLETED, r.task().orElseThrow().state(), r.toString());
                assertEquals("paid echo", artifactText(r.result()));
                assertEquals(x402Version, r.paid().orElseThrow().x402Version());
                assertEquals(1, r.receipts().size());
                assertEquals(payer.address().checksummed(), r.receipts().getFirst().get("payer")
                        .asText());
                assertEquals(1, paid.payments().size());
                assertEquals(nonce.hex(), paid.payments().getFirst().path("payload")
                        .path("authorization").path("nonce").asText());
            }
        }
    }

    @Test
    void aStreamedPaidTaskRelaysBothTurnsAndTheSameNonceNeverPaysTwice() throws Exception {
        try (A2aJsAgent paid = pricedAgent()) {
            AgentEndpoint agent = client.card(paid.cardUrl(), OPTIONS).endpoint();
            PaidSend send = paidSend();
            Bytes32 nonce = Payer.nonceFor("purser-task-1", "provider-1");
            List<StreamEvent> events = new CopyOnWriteArrayList<>();
            PaidResult first = send.send(agent, A2aClient.userMessage("once", null), USDC, 10_000,
                    nonce, OPTIONS, events::add);
            assertEquals(TaskState.COMPLETED, first.task().orElseThrow().state());
            assertTrue(events.stream().anyMatch(e -> e.state() == TaskState.INPUT_REQUIRED));
            assertEquals(TaskState.COMPLETED, events.getLast().state());

            // a retry of the same delegation signs the same nonce: the agent refuses to take it
            PaidResult retry = send.send(agent, A2aClient.userMessage("twice", null), USDC, 10_000,
                    nonce, OPTIONS, null);
            assertEquals(TaskState.FAILED, retry.task().orElseThrow().state());
            assertEquals(1, paid.payments().size());
        }
    }

    @Test
    void aPriceAboveTheMaximumIsNotPaid() throws Exception {
        try (A2aJsAgent paid = pricedAgent()) {
            AgentEndpoint agent = client.card(paid.cardUrl(), OPTIONS).endpoint();
            PaidResult r = paidSend().send(agent, A2aClient.userMessage("too dear", null), USDC,
                    9_999, Payer.nonceFor("t", "p"), OPTIONS, null);
            assertEquals(Payer.Refusal.AMOUNT_EXCEEDS_MAXIMUM, r.refused().orElseThrow().reason());
            assertEquals(TaskState.INPUT_REQUIRED, r.task().orElseThrow().state());
            assertEquals(0, paid.payments().size());
        }
    }
}
