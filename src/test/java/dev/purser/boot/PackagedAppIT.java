package dev.purser.boot;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.AppProcess;
import dev.purser.testing.TestMandates;
import dev.purser.testing.Rpc;
import dev.purser.x402.Eip3009Verifier;
import dev.purser.x402.PaymentPayload;
import dev.purser.x402.PaymentRequirement;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar, or the native binary under {@code -Dnative-it}) started from
 * a directory that has nothing of Purser's, on an empty data directory: it starts its own
 * PostgreSQL, serves the card from its packaged template, and runs echo in both wire versions, a
 * mandate's registration and draw, and an x402 paid task drawn from that mandate.
 */
class PackagedAppIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PRICE = 10000; // echo-paid in agent-card/demo-skills.json

    private static final Secp256k1Key principal = Secp256k1Key.generate(RANDOM);
    private static final Secp256k1Key agent = Secp256k1Key.generate(RANDOM);
    private static AppProcess app;

    @BeforeAll
    static void startFromAnUnrelatedDirectory() throws Exception {
        Path elsewhere = Files.createTempDirectory("purser-elsewhere");
        app = AppProcess.jar("packaged-app", AppProcess.freePort())
                .workDir(elsewhere)
                .env("PURSER_DATA_DIR", elsewhere.resolve("data").toString())
                .unset("PURSER_DB_URL")
                .unset("PURSER_CARD_DIR")
                .start();
        RestAssured.port = app.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            assertTrue(app.stop(), "stops on SIGTERM");
        }
        RestAssured.reset();
    }

    @Test
    void theCardComesFromThePackagedTemplate() {
        given().get("/.well-known/agent-card.json").then().statusCode(200)
                .body("name", equalTo("Purser"))
                .body("skills.id", hasItems("echo", "echo-paid"));
        given().get("/.well-known/agent.json").then().statusCode(200).body("name", equalTo("Purser"));
    }

    @Test
    void echoAnswersInBothWireVersions() {
        Rpc v03 = Rpc.v03();
        JsonPath old = v03.call(v03.sendMethod(), Map.of("message", v03.textMessage("hello 0.3")));
        assertEquals("completed", old.getString("result.status.state"), old::prettify);
        assertEquals("hello 0.3", old.getString("result.artifacts[0].parts[0].text"));

        Rpc v10 = Rpc.v10();
        JsonPath now = v10.call(v10.sendMethod(), Map.of("message", v10.textMessage("hello 1.0")));
        assertEquals("TASK_STATE_COMPLETED", now.getString("result.task.status.state"), now::prettify);
        assertEquals("hello 1.0", now.getString("result.task.artifacts[0].parts[0].text"));
        String id = now.getString("result.task.id");
        assertEquals("TASK_STATE_COMPLETED",
                v10.call(v10.getMethod(), Map.of("id", id)).getString("result.status.state"));
    }

    @Test
    void aRegisteredMandateIsDrawnWithASignedReceipt() {
        String id = register(1_000_000);
        ObjectNode draw = JSON.createObjectNode().put("mandateId", id).put("amount", "400")
                .put("idempotencyKey", random32().hex()).put("memo", "packaged")
                .put("deadline", Instant.now().getEpochSecond() + 600);
        ObjectNode body = JSON.createObjectNode();
        body.set("draw", draw);
        body.put("signature", agent.sign(PurserTypes.DRAW.typedData(
                PurserTypes.mandateDomain(84532), draw).digest()).hex());
        given().contentType("application/json").body(body.toString())
                .post("/api/a2a/mandates/" + id + "/use").then().statusCode(200)
                .body("receipt.amount", equalTo("400"));
        given().get("/api/a2a/mandates/" + id).then().statusCode(200)
                .body("spent", equalTo("400")).body("remaining", equalTo("999600"));
    }

    @Test
    void anX402PaidTaskDrawnFromAMandateCompletesWithItsReceipts() throws Exception {
        String mandate = register(100_000);
        Rpc rpc = Rpc.v03();
        Map<String, Object> ask = new HashMap<>(rpc.textMessage("paid echo"));
        ask.put("metadata", Map.of("purser.skill", "echo-paid", "purser.mandate_id", mandate));
        JsonPath asked = rpc.call("message/send", Map.of("message", ask));
        assertEquals("input-required", asked.getString("result.status.state"), asked::prettify);
        JsonNode requirement = JSON.valueToTree(asked.getMap(
                "result.status.message.metadata.'x402.payment.required'.accepts[0]"));

        Map<String, Object> pay = new HashMap<>(rpc.textMessage("here is the payment"));
        pay.put("taskId", asked.getString("result.id"));
        pay.put("metadata", Map.of("x402.payment.status", "payment-submitted",
                "x402.payment.payload", JSON.convertValue(payment(requirement), Map.class)));
        JsonPath done = rpc.call("message/send", Map.of("message", pay));

        assertEquals("completed", done.getString("result.status.state"), done::prettify);
        assertEquals("payment-completed",
                done.getString("result.status.message.metadata.'x402.payment.status'"));
        assertEquals("paid echo", done.getString("result.artifacts[0].parts[0].text"));
        List<Map<String, Object>> receipts =
                done.getList("result.status.message.metadata.'x402.payment.receipts'");
        assertFalse(receipts.isEmpty());
        assertEquals(true, receipts.get(0).get("success"));
        given().get("/api/a2a/mandates/" + mandate).then().statusCode(200)
                .body("spent", equalTo(Long.toString(PRICE)));
    }

    /** Registers a root mandate from {@code principal} to {@code agent}; its id. */
    private static String register(long budget) {
        return TestMandates.register(principal, agent, budget, 0, List.of());
    }

    /** An x402 v2 payload: the agent's EIP-3009 authorization of exactly {@code requirement}. */
    private static ObjectNode payment(JsonNode requirement) throws Exception {
        PaymentRequirement offer = PaymentRequirement.fromJson(requirement).orElseThrow();
        long t = Instant.now().getEpochSecond();
        ObjectNode p = JSON.createObjectNode();
        p.put("x402Version", 2);
        p.set("accepted", requirement);
        ObjectNode payload = p.putObject("payload");
        payload.put("signature", "0x" + "00".repeat(65));
        ObjectNode auth = payload.putObject("authorization");
        auth.put("from", agent.address().checksummed());
        auth.put("to", offer.payTo().checksummed());
        auth.put("value", Long.toString(offer.amount()));
        auth.put("validAfter", Long.toString(t - 600));
        auth.put("validBefore", Long.toString(t + 120));
        auth.put("nonce", random32().hex());
        PaymentPayload unsigned = ((PaymentPayload.Parsed) PaymentPayload.parse(p)).payload();
        payload.put("signature", agent.sign(Eip3009Verifier.digest(unsigned, offer)).hex());
        return p;
    }

    private static Bytes32 random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new Bytes32(b);
    }
}
