package dev.purser.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Hex;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.NodePeers;
import dev.purser.testing.Rpc;
import dev.purser.x402.Eip3009Verifier;
import dev.purser.x402.PaymentPayload;
import dev.purser.x402.PaymentRequirement;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The paid-task flow of DESIGN §3 over A2A, settled by the embedded facilitator. */
@QuarkusTest
class PaidTaskTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS_MD = "status.message.metadata.'x402.payment.status'";

    private final Rpc rpc = Rpc.v03();

    private JsonPath askForEchoPaid(String text) {
        Map<String, Object> m = new HashMap<>(rpc.textMessage(text));
        m.put("metadata", Map.of("purser.skill", "echo-paid"));
        return rpc.call("message/send", Map.of("message", m));
    }

    private JsonPath pay(String taskId, ObjectNode payload) throws Exception {
        Map<String, Object> m = new HashMap<>(rpc.textMessage("here is the payment"));
        m.put("taskId", taskId);
        m.put("metadata", Map.of("x402.payment.status", "payment-submitted",
                "x402.payment.payload", JSON.convertValue(payload, Map.class)));
        return rpc.call("message/send", Map.of("message", m));
    }

    private static ObjectNode requirement(JsonPath task) {
        return JSON.valueToTree(task.getMap("result.status.message.metadata.'x402.payment.required'.accepts[0]"));
    }

    /** A payment signed here (Purser's own signer) for a requirement. */
    private static ObjectNode signedHere(ObjectNode requirement, Secp256k1Key key, long value) throws Exception {
        long now = Instant.now().getEpochSecond();
        ObjectNode auth = JSON.createObjectNode();
        auth.put("from", key.address().checksummed());
        auth.put("to", requirement.get("payTo").asText());
        auth.put("value", Long.toString(value));
        auth.put("validAfter", Long.toString(now - 600));
        auth.put("validBefore", Long.toString(now + 120));
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        auth.put("nonce", Hex.encode(nonce));
        ObjectNode p = JSON.createObjectNode();
        p.put("x402Version", 2);
        p.set("accepted", requirement);
        ObjectNode payload = p.putObject("payload");
        payload.set("authorization", auth);
        payload.put("signature", "0x" + "00".repeat(65));
        PaymentPayload parsed = ((PaymentPayload.Parsed) PaymentPayload.parse(p)).payload();
        PaymentRequirement offer = PaymentRequirement.fromJson(requirement).orElseThrow();
        payload.put("signature", key.sign(Eip3009Verifier.digest(parsed, offer)).hex());
        return p;
    }

    @Test
    void withoutPaymentThePaidSkillAsksForOneWithItsRequirements() {
        JsonPath r = askForEchoPaid("pay me");
        assertEquals("input-required", r.getString("result.status.state"));
        assertEquals("payment-required", r.getString("result." + STATUS_MD));
        JsonPath req = JsonPath.from(requirement(r).toString());
        assertEquals("exact", req.getString("scheme"));
        assertEquals("eip155:84532", req.getString("network"));
        assertEquals("10000", req.getString("amount"));
        assertEquals("0x036CbD53842c5426634e7929541eC2318f3dCF7e", req.getString("asset"));
        assertEquals("USDC", req.getString("extra.name"));
        assertEquals("2", req.getString("extra.version"));
        assertTrue(req.getString("payTo").matches("0x[0-9a-fA-F]{40}"));
    }

    @Test
    void aPaymentSignedByViemCompletesTheTaskWithAReceipt() throws Exception {
        JsonPath asked = askForEchoPaid("echo this for money");
        String id = asked.getString("result.id");
        String key = Hex.encode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        String viemPayload = NodePeers.run("x402/sign-payment.mjs", requirement(asked).toString(), key);
        JsonPath done = pay(id, (ObjectNode) JSON.readTree(viemPayload));
        assertEquals("completed", done.getString("result.status.state"), () -> done.prettify());
        assertEquals("payment-completed", done.getString("result." + STATUS_MD));
        assertEquals("echo this for money", done.getString("result.artifacts[0].parts[0].text"));
        JsonPath receipt = JsonPath.from(JSON.writeValueAsString(
                done.getList("result.status.message.metadata.'x402.payment.receipts'").get(0)));
        assertTrue(receipt.getBoolean("success"));
        assertEquals(Secp256k1Key.fromHex(key).address().checksummed(), receipt.getString("payer"));
        assertEquals("10000", receipt.getString("amount"));
    }

    @Test
    void aReplayedAuthorizationCannotPayForASecondTask() throws Exception {
        Secp256k1Key payer = Secp256k1Key.generate(new SecureRandom());
        JsonPath first = askForEchoPaid("one");
        ObjectNode payment = signedHere(requirement(first), payer, 10000);
        assertEquals("completed", pay(first.getString("result.id"), payment).getString("result.status.state"));

        JsonPath second = askForEchoPaid("two");
        JsonPath replay = pay(second.getString("result.id"), payment);
        assertEquals("failed", replay.getString("result.status.state"));
        assertEquals("DUPLICATE_NONCE", replay.getString("result.status.message.metadata.'x402.payment.error'"));
        assertNull(replay.get("result.artifacts"), "no work for a replayed payment");
    }

    @Test
    void aLoweredAmountIsRefusedAndNothingRuns() throws Exception {
        Secp256k1Key payer = Secp256k1Key.generate(new SecureRandom());
        JsonPath asked = askForEchoPaid("cheap");
        ObjectNode lowered = requirement(asked);
        lowered.put("amount", "9999");
        JsonPath r = pay(asked.getString("result.id"), signedHere(lowered, payer, 9999));
        assertEquals("failed", r.getString("result.status.state"));
        assertEquals("INVALID_AMOUNT", r.getString("result.status.message.metadata.'x402.payment.error'"));
        assertNull(r.get("result.artifacts"));
        assertEquals(List.of(), r.getList("result.status.message.metadata.'x402.payment.receipts'"));
    }
}
