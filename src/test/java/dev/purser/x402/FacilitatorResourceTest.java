package dev.purser.x402;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Hex;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.money.Asset;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FacilitatorResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Secp256k1Key payer = Secp256k1Key.generate(new SecureRandom());
    private final Address payTo = Secp256k1Key.generate(new SecureRandom()).address();
    private final PaymentRequirement offer = new PaymentRequirement(Asset.BASE_SEPOLIA_USDC, 10000,
            payTo, 120, "https://purser.test/skills/echo-paid", "echo-paid");

    private ObjectNode payment(String nonceHex) throws Exception {
        long now = Instant.now().getEpochSecond();
        ObjectNode auth = JSON.createObjectNode();
        auth.put("from", payer.address().checksummed());
        auth.put("to", payTo.checksummed());
        auth.put("value", "10000");
        auth.put("validAfter", Long.toString(now - 600));
        auth.put("validBefore", Long.toString(now + 100));
        auth.put("nonce", nonceHex);
        ObjectNode p = JSON.createObjectNode();
        p.put("x402Version", 2);
        p.set("accepted", offer.toJson(2));
        ObjectNode payload = p.putObject("payload");
        payload.set("authorization", auth);
        payload.put("signature", "0x" + "00".repeat(65));
        PaymentPayload parsed = ((PaymentPayload.Parsed) PaymentPayload.parse(p)).payload();
        payload.put("signature", payer.sign(Eip3009Verifier.digest(parsed, offer)).hex());
        return p;
    }

    private static String nonce() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Hex.encode(b);
    }

    private ObjectNode body(ObjectNode payment) {
        ObjectNode b = JSON.createObjectNode();
        b.put("x402Version", 2);
        b.set("paymentPayload", payment);
        b.set("paymentRequirements", offer.toJson(2));
        return b;
    }

    private JsonPath post(String path, ObjectNode body) {
        return given().contentType("application/json").body(body.toString()).post("/facilitator/" + path)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void verifiesThenSettlesExactlyOncePerAuthorization() throws Exception {
        String nonce = nonce();
        ObjectNode payment = payment(nonce);
        JsonPath verified = post("verify", body(payment));
        assertTrue(verified.getBoolean("isValid"));
        assertEquals(payer.address().checksummed(), verified.getString("payer"));

        JsonPath settled = post("settle", body(payment));
        assertTrue(settled.getBoolean("success"));
        assertEquals("eip155:84532", settled.getString("network"));
        assertEquals("ledger:" + nonce, settled.getString("transaction"));
        assertEquals(false, settled.getBoolean("extensions.purser.onChain"));

        // the same payment again: the same answer, nothing settled twice
        JsonPath again = post("settle", body(payment));
        assertEquals(settled.prettify(), again.prettify());

        // now the nonce is used: verify says so, and another payload with it is refused
        JsonPath reverify = post("verify", body(payment));
        assertFalse(reverify.getBoolean("isValid"));
        assertEquals("invalid_exact_evm_nonce_already_used", reverify.getString("invalidReason"));
        ObjectNode replay = payment(nonce);
        ((ObjectNode) replay.at("/payload/authorization")).put("validAfter",
                Long.toString(Instant.now().getEpochSecond() - 700));
        replay = resign(replay);
        JsonPath refused = post("settle", body(replay));
        assertFalse(refused.getBoolean("success"));
        assertEquals("invalid_exact_evm_nonce_already_used", refused.getString("errorReason"));
    }

    private ObjectNode resign(ObjectNode p) {
        PaymentPayload parsed = ((PaymentPayload.Parsed) PaymentPayload.parse(p)).payload();
        ((ObjectNode) p.get("payload")).put("signature", payer.sign(Eip3009Verifier.digest(parsed, offer)).hex());
        return p;
    }

    @Test
    void anInvalidPaymentIsNotSettled() throws Exception {
        ObjectNode payment = payment(nonce());
        ((ObjectNode) payment.at("/payload/authorization")).put("value", "1");
        JsonPath v = post("verify", body(payment));
        assertFalse(v.getBoolean("isValid"));
        assertEquals("invalid_exact_evm_payload_authorization_value_mismatch", v.getString("invalidReason"));
        JsonPath s = post("settle", body(payment));
        assertFalse(s.getBoolean("success"));
        assertEquals("", s.getString("transaction"));
    }

    @Test
    void supportedListsBothVersionsAndMalformedBodiesAre400() {
        JsonPath s = given().get("/facilitator/supported").then().statusCode(200).extract().jsonPath();
        assertTrue(s.getList("kinds.network").contains("eip155:84532"));
        assertTrue(s.getList("kinds.network").contains("base-sepolia"));
        String text = given().contentType("application/json").body("{\"x402Version\":").post("/facilitator/verify")
                .then().statusCode(400).extract().asString();
        assertEquals("malformed_json", JsonPath.from(text).getString("error"));
        assertFalse(text.contains("com.fasterxml"), text);
        given().contentType("application/json").body("{\"paymentPayload\":{}}").post("/facilitator/settle")
                .then().statusCode(400);
    }
}
