package dev.purser.metered;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.testing.TestMandates;
import io.restassured.path.json.JsonPath;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the /v1 tests share: a buyer (a registered EIP-712 mandate and a session key of its agent),
 * a model upstream registered by the operator, the official client's job, and an independent
 * price computation (BigInteger, not Purser's).
 */
public final class Metered {

    static final ObjectMapper JSON = new ObjectMapper();
    static final SecureRandom RANDOM = new SecureRandom();
    static final String USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

    private Metered() {
    }

    /** A mandate's agent with a live session key. */
    public record Buyer(String mandateId, Secp256k1Key agent, Secp256k1Key principal, String keyId,
            String secret, String keyDocument) {
    }

    static Bytes32 random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new Bytes32(b);
    }

    static String modelId(String hint) {
        return hint + "-" + random32().hex().substring(2, 10);
    }

    public static Buyer buyer(long budget, List<String> skills) {
        return buyer(budget, 0, skills);
    }

    static Buyer buyer(long budget, long perTaskMax, List<String> skills) {
        Secp256k1Key principal = Secp256k1Key.generate(RANDOM);
        Secp256k1Key agent = Secp256k1Key.generate(RANDOM);
        String id = TestMandates.register(principal, agent, budget, perTaskMax, skills);
        long now = Instant.now().getEpochSecond();
        ObjectNode key = JSON.createObjectNode().put("mandate", id).put("label", "test run")
                .put("expiresAt", now + 3600).put("nonce", random32().hex());
        ObjectNode doc = JSON.createObjectNode();
        doc.set("key", key);
        doc.put("signature", sign(PurserTypes.SESSION_KEY, key, agent));
        JsonPath created = given().contentType("application/json").body(doc.toString())
                .post("/api/a2a/mandates/" + id + "/keys").then().statusCode(201).extract()
                .jsonPath();
        return new Buyer(id, agent, principal, created.getString("id"), created.getString("key"),
                doc.toString());
    }

    private static String sign(dev.purser.crypto.TypedDataSchema type, ObjectNode message,
            Secp256k1Key key) {
        return key.sign(type.typedData(PurserTypes.mandateDomain(84532), message).digest()).hex();
    }

    /** Registers {@code baseUrl} serving {@code models} (id → {input, output, maxOutput?, cacheTtl?}). */
    static String upstream(String baseUrl, Map<String, Map<String, Object>> models) {
        ObjectNode body = JSON.createObjectNode().put("baseUrl", baseUrl);
        body.putObject("headers").put("Authorization", "Bearer sk-upstream-secret");
        body.set("models", JSON.valueToTree(models));
        return given().header("Authorization", "Bearer " + MeteredProfile.TOKEN)
                .contentType("application/json").body(body.toString()).post("/api/market/models")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201),
                        org.hamcrest.Matchers.is(200)))
                .extract().path("id");
    }

    static Map<String, Object> prices(long input, long output) {
        return Map.of("input", Long.toString(input), "output", Long.toString(output));
    }

    /** ceil((in × input + out × output) / 1e6), computed here independently of Purser. */
    static long cost(long in, long out, long inputPrice, long outputPrice) {
        BigInteger total = BigInteger.valueOf(in).multiply(BigInteger.valueOf(inputPrice))
                .add(BigInteger.valueOf(out).multiply(BigInteger.valueOf(outputPrice)));
        BigInteger[] qr = total.divideAndRemainder(BigInteger.valueOf(1_000_000));
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }

    /** The byte length of {@code messages} as compact JSON: Purser's input bound. */
    static long inputBound(JsonNode messages) {
        try {
            return JSON.writeValueAsBytes(messages).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base() {
        return "http://localhost:" + io.restassured.RestAssured.port + "/v1";
    }

    /** A job for the official client through Purser. */
    static ObjectNode job(Buyer buyer, ObjectNode request) {
        ObjectNode job = JSON.createObjectNode().put("baseURL", base())
                .put("apiKey", buyer.secret()).put("timeoutMs", 20000);
        job.set("request", request);
        return job;
    }

    static ObjectNode chat(String model, String text) {
        ObjectNode r = JSON.createObjectNode().put("model", model);
        r.putArray("messages").addObject().put("role", "user").put("content", text);
        return r;
    }

    static JsonPath envelope(String mandateId) {
        return given().get("/api/a2a/mandates/" + mandateId).then().statusCode(200).extract()
                .jsonPath();
    }

    static long spent(String mandateId) {
        return Long.parseLong(envelope(mandateId).getString("spent"));
    }

    static long reserved(String mandateId) {
        return Long.parseLong(envelope(mandateId).getString("reserved"));
    }
}
