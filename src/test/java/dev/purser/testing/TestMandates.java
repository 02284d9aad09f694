package dev.purser.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.money.Asset;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/** Registers EIP-712 mandates over HTTP (rest-assured's current base), as a principal would. */
public final class TestMandates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestMandates() {
    }

    /**
     * A root mandate in Base Sepolia USDC from {@code principal} to {@code agent}, valid from an
     * hour ago for a day; its id.
     */
    public static String register(Secp256k1Key principal, Secp256k1Key agent, long budget,
            long perTaskMax, List<String> skills) {
        return register(principal, agent, budget, perTaskMax, skills, Bytes32.ZERO.hex(),
                86_400);
    }

    /**
     * A child of {@code parent} signed by its agent {@code principal} for {@code agent}, valid
     * for an hour (inside any root of {@link #register}); its id.
     */
    public static String registerChild(String parent, Secp256k1Key principal,
            Secp256k1Key agent, long budget, List<String> skills) {
        return register(principal, agent, budget, 0, skills, parent, 3600);
    }

    private static String register(Secp256k1Key principal, Secp256k1Key agent, long budget,
            long perTaskMax, List<String> skills, String parent, long validSeconds) {
        long now = Instant.now().getEpochSecond();
        ObjectNode m = JSON.createObjectNode();
        m.put("principal", principal.address().checksummed());
        m.put("agent", agent.address().checksummed());
        m.put("asset", Asset.BASE_SEPOLIA_USDC.address());
        m.put("budget", Long.toString(budget));
        m.put("perTaskMax", Long.toString(perTaskMax));
        ArrayNode s = m.putArray("skills");
        skills.forEach(s::add);
        m.put("notBefore", now - 3600);
        m.put("expiresAt", now + validSeconds);
        m.put("parent", parent);
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        m.put("nonce", new Bytes32(nonce).hex());
        ObjectNode body = JSON.createObjectNode();
        body.set("mandate", m);
        body.put("signature", principal.sign(PurserTypes.SPENDING_MANDATE
                .typedData(PurserTypes.mandateDomain(84532), m).digest()).hex());
        return given().contentType("application/json").body(body.toString())
                .post("/api/a2a/mandates").then().statusCode(201).extract().path("id");
    }

    /**
     * The body of {@code PUT …/policy}: an EnvelopePolicy for {@code mandate} signed by
     * {@code signer}, with no guards of its own (0 = the server's).
     */
    public static ObjectNode policy(Secp256k1Key signer, String mandate, long dailyMax,
            int ratePerMinute, List<Integer> softLimits, String webhook, long issuedAt) {
        ObjectNode p = JSON.createObjectNode();
        p.put("mandate", mandate);
        p.put("dailyMax", Long.toString(dailyMax));
        p.put("ratePerMinute", ratePerMinute);
        p.put("concurrency", 0);
        p.put("loopPerMinute", 0);
        ArrayNode limits = p.putArray("softLimits");
        softLimits.forEach(limits::add);
        p.put("webhook", webhook);
        p.put("issuedAt", issuedAt);
        ObjectNode body = JSON.createObjectNode();
        body.set("policy", p);
        body.put("signature", signer.sign(PurserTypes.ENVELOPE_POLICY
                .typedData(PurserTypes.mandateDomain(84532), p).digest()).hex());
        return body;
    }
}
