package dev.purser.a2a.server;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.purser.testing.Rpc;
import dev.purser.x402.PaymentMetadata;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Extension activation (a2a.md §10, x402.md §6.1): the activated subset of the requested URIs is
 * echoed in the header it was asked in; the x402 v0.1 URI is accepted as well as v0.2; unknown
 * URIs are ignored. A client that activates only v0.1 is offered x402 v1, as v0.1 clients expect.
 */
@QuarkusTest
class ExtensionActivationTest {

    private static final String UNKNOWN = "https://example.com/ext/unknown/v1";

    private static Map<String, Object> send(Rpc rpc) {
        return Map.of("jsonrpc", "2.0", "id", UUID.randomUUID().toString(), "method", rpc.sendMethod(),
                "params", Map.of("message", rpc.textMessage("hello")));
    }

    @Test
    void theV01UriIsActivatedAndEchoedInX402Header() {
        Rpc rpc = Rpc.v03();
        rpc.request().header("X-A2A-Extensions", PaymentMetadata.EXTENSION_V01 + ", " + UNKNOWN)
                .body(send(rpc)).post("/api/a2a")
                .then().statusCode(200)
                .header("X-A2A-Extensions", equalTo(PaymentMetadata.EXTENSION_V01))
                .header("A2A-Extensions", nullValue());
    }

    @Test
    void theV02UriIsActivatedAndEchoedInThe10Header() {
        Rpc rpc = Rpc.v10();
        rpc.request().header("A2A-Extensions", PaymentMetadata.EXTENSION_V02)
                .body(send(rpc)).post("/api/a2a")
                .then().statusCode(200)
                .header("A2A-Extensions", equalTo(PaymentMetadata.EXTENSION_V02));
    }

    @Test
    void bothVersionsRequestedAreBothEchoed() {
        Rpc rpc = Rpc.v03();
        rpc.request().header("X-A2A-Extensions", PaymentMetadata.EXTENSION_V02)
                .header("X-A2A-Extensions", PaymentMetadata.EXTENSION_V01)
                .body(send(rpc)).post("/api/a2a")
                .then().statusCode(200)
                .header("X-A2A-Extensions", equalTo(PaymentMetadata.EXTENSION_V02 + ", " + PaymentMetadata.EXTENSION_V01));
    }

    @Test
    void onlyUnknownUrisActivateNothingAndEchoNothing() {
        Rpc rpc = Rpc.v03();
        rpc.request().header("X-A2A-Extensions", UNKNOWN)
                .body(send(rpc)).post("/api/a2a")
                .then().statusCode(200)
                .header("X-A2A-Extensions", nullValue());
    }

    @Test
    void anErrorAnswerEchoesTooForTheRequestWasStillUnderTheExtension() {
        Rpc rpc = Rpc.v03();
        rpc.request().header("X-A2A-Extensions", PaymentMetadata.EXTENSION_V02)
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "no/such")).post("/api/a2a")
                .then().statusCode(200)
                .body("error.code", equalTo(-32601))
                .header("X-A2A-Extensions", equalTo(PaymentMetadata.EXTENSION_V02));
    }

    /** Asks for the paid skill with {@code header: uris}; answers the x402 payment-required. */
    private static JsonPath paymentRequired(Rpc rpc, String header,
            String uris) {
        Map<String, Object> m = new HashMap<>(rpc.textMessage("pay me"));
        m.put("metadata", Map.of("purser.skill", "echo-paid"));
        var req = rpc.request();
        if (uris != null) {
            req = req.header(header, uris);
        }
        return req.body(Map.of("jsonrpc", "2.0", "id", 1, "method", rpc.sendMethod(),
                "params", Map.of("message", m))).post("/api/a2a").then().statusCode(200)
                .extract().jsonPath().setRootPath(rpc.taskPath() + ".status.message.metadata."
                        + "'x402.payment.required'");
    }

    @Test
    void aClientOfTheV01ExtensionAloneIsOfferedX402V1AndTheOthersTheConfiguredV2() {
        Rpc rpc = Rpc.v03();
        var v1 = paymentRequired(rpc, "X-A2A-Extensions", PaymentMetadata.EXTENSION_V01);
        assertEquals(1, v1.getInt("x402Version"));
        assertEquals("base-sepolia",
                v1.getString("accepts[0].network"));
        assertEquals("10000",
                v1.getString("accepts[0].maxAmountRequired"));

        var both = paymentRequired(rpc, "X-A2A-Extensions",
                PaymentMetadata.EXTENSION_V01 + ", " + PaymentMetadata.EXTENSION_V02);
        assertEquals(2, both.getInt("x402Version"));
        var v2 = paymentRequired(Rpc.v10(), "A2A-Extensions", PaymentMetadata.EXTENSION_V02);
        assertEquals(2, v2.getInt("x402Version"));
        assertEquals("eip155:84532",
                v2.getString("accepts[0].network"));
        assertEquals(2,
                paymentRequired(rpc, null, null).getInt("x402Version"));
    }
}
