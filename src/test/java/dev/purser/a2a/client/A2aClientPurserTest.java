package dev.purser.a2a.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.money.Asset;
import dev.purser.x402.Payer;
import dev.purser.x402.PaymentMetadata;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against Purser's own server on loopback, in both versions. */
@QuarkusTest
class A2aClientPurserTest {

    private static final CallOptions OPTIONS = CallOptions.timeout(Duration.ofSeconds(20));

    private final A2aClient client = new A2aClient();
    private RemoteCard card;

    @BeforeEach
    void readCard() throws A2aCallException {
        card = client.card("http://localhost:" + RestAssured.port, OPTIONS);
    }

    private static Message ask(String skill, String text) {
        ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", skill);
        return A2aClient.userMessage(text, md);
    }

    /** An echo message without text: echo waits for input on it. */
    private static Message noText() {
        ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", "echo");
        return new Message(UUID.randomUUID().toString(), Role.USER, List.of(new Part(null, null,
                null, JsonNodeFactory.instance.objectNode().put("k", 1), null, null,
                "application/json")), null, null, md, null, null);
    }

    private static Task task(SendResult r) {
        return assertInstanceOf(SendResult.OfTask.class, r).task();
    }

    @Test
    void pursersCardOffersBothVersionsAndStreams() {
        assertEquals(A2aVersion.V1_0, card.endpoint().version());
        assertTrue(card.endpoint(A2aVersion.V0_3).isPresent());
        assertTrue(card.streaming());
        assertTrue(card.skillIds().containsAll(List.of("echo", "echo-paid")));
        assertTrue(card.extension(PaymentMetadata.EXTENSION_V02).isPresent());
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void echoBlockingThenGet(A2aVersion version) throws Exception {
        AgentEndpoint purser = card.endpoint(version).orElseThrow();
        Task done = task(client.send(purser, ask("echo", "hi " + version), OPTIONS));
        assertEquals(TaskState.COMPLETED, done.state());
        assertEquals("hi " + version, done.artifacts().getFirst().parts().getFirst().text());
        Task again = client.get(purser, done.id(), OPTIONS);
        assertEquals(done.id(), again.id());
        assertEquals(TaskState.COMPLETED, again.state());
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void echoStreamed(A2aVersion version) throws Exception {
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        Task done = task(client.stream(card.endpoint(version).orElseThrow(),
                ask("echo", "streamed"), OPTIONS, events::add));
        assertInstanceOf(StreamEvent.OfTask.class, events.getFirst());
        assertEquals(TaskState.COMPLETED, events.getLast().state());
        assertEquals("streamed", done.artifacts().getFirst().parts().getFirst().text());
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void aWaitingTaskTakesAFollowUpOrIsCanceled(A2aVersion version) throws Exception {
        AgentEndpoint purser = card.endpoint(version).orElseThrow();
        Task waiting = task(client.send(purser, noText(), OPTIONS));
        assertEquals(TaskState.INPUT_REQUIRED, waiting.state());
        Task done = task(client.send(purser, A2aClient.followUp(ask("echo", "now text"),
                waiting.id(), waiting.contextId()), OPTIONS));
        assertEquals(waiting.id(), done.id());
        assertEquals("now text", done.artifacts().getFirst().parts().getFirst().text());

        Task other = task(client.send(purser, noText(), OPTIONS));
        assertEquals(TaskState.CANCELED, client.cancel(purser, other.id(), OPTIONS).state());
        A2aCallException again = assertThrows(A2aCallException.class,
                () -> client.cancel(purser, other.id(), OPTIONS));
        assertEquals(A2aCallException.Kind.RPC_ERROR, again.kind());
        assertEquals(-32002, again.rpcCode());
    }

    @Test
    void anUnknownTaskIsAJsonRpcError() {
        A2aCallException e = assertThrows(A2aCallException.class,
                () -> client.get(card.endpoint(), "0000", OPTIONS));
        assertEquals(A2aCallException.Kind.RPC_ERROR, e.kind());
        assertEquals(-32001, e.rpcCode());
    }

    @ParameterizedTest
    @EnumSource(A2aVersion.class)
    void echoPaidIsPaidByThePayerAndSettledWithAReceipt(A2aVersion version) throws Exception {
        Payer payer = Payer.of(Secp256k1Key.generate(new SecureRandom()), Clock.systemUTC());
        PaidResult r = new PaidSend(client, payer).send(card.endpoint(version).orElseThrow(),
                ask("echo-paid", "worth it"), Asset.BASE_SEPOLIA_USDC, 10_000,
                Payer.nonceFor(UUID.randomUUID().toString(), "purser"), OPTIONS, null);
        Task done = r.task().orElseThrow();
        assertEquals(TaskState.COMPLETED, done.state(), () -> done.toString());
        assertEquals("worth it", done.artifacts().getFirst().parts().getFirst().text());
        assertEquals(10_000, r.paid().orElseThrow().amount());
        assertEquals(1, r.receipts().size());
        assertTrue(r.receipts().getFirst().get("success").asBoolean());
        assertEquals(payer.address().checksummed(), r.receipts().getFirst().get("payer").asText());
    }

    @Test
    void aStreamedPaidTaskEndsCompletedWithItsReceipt() throws Exception {
        Payer payer = Payer.of(Secp256k1Key.generate(new SecureRandom()), Clock.systemUTC());
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        PaidResult r = new PaidSend(client, payer).send(card.endpoint(), ask("echo-paid", "s"),
                Asset.BASE_SEPOLIA_USDC, 10_000, Payer.nonceFor(UUID.randomUUID().toString(),
                        "purser"), OPTIONS, events::add);
        assertEquals(TaskState.COMPLETED, r.task().orElseThrow().state());
        assertEquals(1, r.receipts().size());
        assertTrue(events.stream().anyMatch(e -> e.state() == TaskState.INPUT_REQUIRED));
    }

    @Test
    void echoPaidAboveTheMaximumIsNotPaid() throws Exception {
        Payer payer = Payer.of(Secp256k1Key.generate(new SecureRandom()), Clock.systemUTC());
        PaidResult r = new PaidSend(client, payer).send(card.endpoint(), ask("echo-paid", "no"),
                Asset.BASE_SEPOLIA_USDC, 9_999, Payer.nonceFor("t", "p"), OPTIONS, null);
        assertEquals(Payer.Refusal.AMOUNT_EXCEEDS_MAXIMUM, r.refused().orElseThrow().reason());
        assertEquals(TaskState.INPUT_REQUIRED, r.task().orElseThrow().state());
    }
}
