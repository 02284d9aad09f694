package dev.purser.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aCallException;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.AgentEndpoint;
import dev.purser.a2a.client.CallOptions;
import dev.purser.a2a.client.PaidSend;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.Task;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.money.Asset;
import dev.purser.x402.PaymentMetadata;
import dev.purser.x402.Payer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * For the crash and cluster ITs: a buyer of paid skills (the demo {@code echo-paid}, a provider's
 * service) whose x402 payments draw one EIP-712 mandate (registered over HTTP at rest-assured's
 * current port), each turn sent to whichever Purser the test names, so a payment can be asked of
 * one instance and sent again to another after the first died.
 */
public final class PaidBuyer {

    public static final CallOptions OPTIONS = CallOptions.timeout(Duration.ofSeconds(30))
            .withExtension(PaymentMetadata.EXTENSION_V02);
    private static final Asset USDC = Asset.usdcOn("eip155:84532").orElseThrow();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final A2aClient client = new A2aClient();
    private final Payer payer;
    private final String mandateId;

    private PaidBuyer(Secp256k1Key agent, String mandateId) {
        this.payer = Payer.of(agent, Clock.systemUTC());
        this.mandateId = mandateId;
    }

    /** A fresh agent key with a mandate of {@code budget} from a fresh principal, any skill. */
    public static PaidBuyer withMandate(long budget) {
        Secp256k1Key agent = Secp256k1Key.generate(RANDOM);
        return new PaidBuyer(agent, TestMandates.register(Secp256k1Key.generate(RANDOM), agent,
                budget, 0, List.of()));
    }

    public String mandateId() {
        return mandateId;
    }

    /** The A2A endpoint of the Purser at {@code baseUrl}, from its card. */
    public AgentEndpoint endpoint(String baseUrl) throws A2aCallException {
        return client.card(baseUrl, OPTIONS).endpoint();
    }

    /** Asks for {@code skill}: the task, waiting for its payment. */
    public Task ask(AgentEndpoint purser, String skill, String text) throws A2aCallException {
        ObjectNode md = JsonNodeFactory.instance.objectNode().put("purser.skill", skill)
                .put("purser.mandate_id", mandateId);
        SendResult r = client.send(purser, A2aClient.userMessage(text, md), OPTIONS);
        if (!(r instanceof SendResult.OfTask t) || PaidSend.paymentRequired(r).isEmpty()) {
            throw new AssertionError(skill + " asked for no payment: " + r);
        }
        return t.task();
    }

    /** Signs what {@code asked} requires, with a fresh nonce. */
    public Payer.Signed sign(Task asked) {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        Payer.Payment p = payer.pay(PaidSend.paymentRequired(new SendResult.OfTask(asked))
                .orElseThrow(), USDC, 1_000_000, new Bytes32(nonce));
        if (!(p instanceof Payer.Signed signed)) {
            throw new AssertionError("the buyer would not pay: " + p);
        }
        return signed;
    }

    /** Sends {@code signed} as the payment turn of {@code asked}: the task as it answers. */
    public Task pay(AgentEndpoint purser, Task asked, Payer.Signed signed) throws A2aCallException {
        ObjectNode md = JsonNodeFactory.instance.objectNode()
                .put(PaymentMetadata.STATUS, PaymentMetadata.PAYMENT_SUBMITTED)
                .put("purser.mandate_id", mandateId);
        md.set(PaymentMetadata.PAYLOAD, signed.payload());
        Message turn = A2aClient.userMessage("x402 payment", md).inTask(asked.id(),
                asked.contextId());
        SendResult r = client.send(purser, turn, OPTIONS);
        if (!(r instanceof SendResult.OfTask t)) {
            throw new AssertionError("a payment turn answered a message: " + r);
        }
        return t.task();
    }

    /** The task as {@code purser} has it. */
    public Task get(AgentEndpoint purser, String taskId) throws A2aCallException {
        return client.get(purser, taskId, OPTIONS);
    }

    /** Polls {@code purser} until the task is terminal (at most 30 s); the last answer. */
    public Task awaitEnd(AgentEndpoint purser, String taskId) throws Exception {
        Task t = get(purser, taskId);
        for (int i = 0; i < 300 && !t.state().isTerminal(); i++) {
            Thread.sleep(100);
            t = get(purser, taskId);
        }
        return t;
    }
}
