package dev.purser.billing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.ledger.Envelope;
import dev.purser.ledger.EnvelopeSpec;
import dev.purser.ledger.Envelopes;
import dev.purser.ledger.JournalEntry;
import dev.purser.ledger.OpenResult;
import dev.purser.money.Asset;
import dev.purser.testing.NodePeers;
import dev.purser.testing.Rpc;
import io.restassured.path.json.JsonPath;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A client of paid tasks drawn from envelopes: payments signed by viem, envelopes opened directly. */
final class PaidTasks {

    static final ObjectMapper JSON = new ObjectMapper();
    static final SecureRandom RANDOM = new SecureRandom();
    static final long PRICE = 10000; // echo-paid
    static final String STATUS = "result.status.message.metadata.'x402.payment.status'";
    static final String ERROR = "result.status.message.metadata.'x402.payment.error'";
    static final String REASON = "result.status.message.metadata.'purser.reason'";
    static final String RECEIPTS = "result.status.message.metadata.'x402.payment.receipts'";

    private final Rpc rpc = Rpc.v03();

    /** An agent's key, as the hex viem takes. */
    record Agent(String keyHex, Address address) {
        static Agent generate() {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            String hex = Hex.encode(key);
            return new Agent(hex, Secp256k1Key.fromHex(hex).address());
        }
    }

    static Bytes32 randomId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Bytes32(bytes);
    }

    static Address randomAddress() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return Address.fromBytes(bytes);
    }

    /** A root envelope in Base Sepolia USDC for {@code agent}; guards off so tests never trip them. */
    static EnvelopeSpec spec(Address agent, long budget) {
        return EnvelopeSpec.root(randomId(), randomAddress(), agent,
                Address.of(Asset.BASE_SEPOLIA_USDC.address()), Asset.BASE_SEPOLIA_USDC.network(), budget)
                .withLimits(EnvelopeSpec.Limits.NONE);
    }

    static Envelope open(Envelopes envelopes, EnvelopeSpec spec) {
        OpenResult r = envelopes.open(spec);
        assertTrue(r instanceof OpenResult.Opened, r.toString());
        return ((OpenResult.Opened) r).envelope();
    }

    /** How many entries of {@code type} the envelope's journal holds. */
    static long entries(Envelopes envelopes, Bytes32 id, JournalEntry.Type type) {
        return envelopes.ledger(id, 0, 1000).orElseThrow().entries().stream()
                .filter(e -> e.type() == type).count();
    }

    /** Asks for echo-paid, naming {@code mandateId} (or none when null). */
    JsonPath ask(String text, Bytes32 mandateId) {
        Map<String, Object> m = new HashMap<>(rpc.textMessage(text));
        Map<String, Object> md = new HashMap<>();
        md.put("purser.skill", "echo-paid");
        if (mandateId != null) {
            md.put(PaymentGate.MANDATE_KEY, mandateId.hex());
        }
        m.put("metadata", md);
        return rpc.call("message/send", Map.of("message", m));
    }

    JsonPath pay(String taskId, ObjectNode payload) {
        Map<String, Object> m = new HashMap<>(rpc.textMessage("here is the payment"));
        m.put("taskId", taskId);
        m.put("metadata", Map.of("x402.payment.status", "payment-submitted",
                "x402.payment.payload", JSON.convertValue(payload, Map.class)));
        return rpc.call("message/send", Map.of("message", m));
    }

    JsonPath get(String taskId) {
        return rpc.call("tasks/get", Map.of("id", taskId));
    }

    static ObjectNode requirement(JsonPath task) {
        return JSON.valueToTree(task.getMap("result.status.message.metadata.'x402.payment.required'.accepts[0]"));
    }

    /** A payment for {@code requirement} signed by viem, with authorization fields overridden. */
    static ObjectNode signed(ObjectNode requirement, Agent agent, Map<String, Object> overrides) {
        try {
            String out = NodePeers.run("x402/sign-payment.mjs", requirement.toString(), agent.keyHex(),
                    JSON.writeValueAsString(overrides));
            return (ObjectNode) JSON.readTree(out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode signed(ObjectNode requirement, Agent agent) {
        return signed(requirement, agent, Map.of());
    }

    static List<Object> receipts(JsonPath r) {
        return r.getList(RECEIPTS);
    }
}
