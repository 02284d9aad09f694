package dev.purser.mandate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The mandates of vectors.md §6 and helpers to sign variants of them. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Anvil / Hardhat development keys: publicly known, never fund them. */
    static final Secp256k1Key ANVIL_0 = Secp256k1Key.fromHex(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    static final Secp256k1Key ANVIL_1 = Secp256k1Key.fromHex(
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

    static final String ANVIL_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

    static final String ROOT_ID =
            "0xf0e69ede2b4e114c2022d2a09ccbcb01f692830b879e48ce4784e9c37ace22b2";

    static final String CHILD_ID =
            "0x32a9009edc2b14f7cdbfaf9486f34e813d42b970244a7545dcfa7fe8c4f7bc68";

    static final String ROOT_SIGNATURE = "0x43edf10e04e3b512841331f7cf9d8e44a70d699cd2792da73ce3"
            + "4e589c24285c5286afc9f95070f13142f3c7f918f0bee99a070c99eeecefe1caca390e76806b1b";

    static final String CHILD_SIGNATURE = "0x2d7580884eb3ddbc62987e9a94f959e5b57c07f587be5264ab"
            + "6515ba753f530b6968dabfb4276bec7af06a9b759e9f83e0b03893e9d391a726f5d94e76d657431b";

    static final String CHILD_SIGNED_BY_ROOT = "0x9c3599edb8b5a71bcd51649d3e6dffd71a1512990e23"
            + "36f95e7f672900763ef82b3a0ef9a4961b40fd681adc275899f2483ab925e127b550c53c7b8682c8"
            + "13441b";

    /** Inside both vector mandates' windows (2026-05-28). */
    static final Instant NOW = Instant.ofEpochSecond(1_780_000_000L);

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static final SecureRandom RANDOM = new SecureRandom();

    private Fixtures() {
    }

    /** The wall clock in unix seconds, for documents a running server checks. */
    static long now() {
        return Instant.now().getEpochSecond();
    }

    /** 32 fresh random bytes: a nonce or an id no one registered. */
    static Bytes32 random32() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Bytes32(bytes);
    }

    static MandateVerifier verifier() {
        return verifier(CLOCK);
    }

    static MandateVerifier verifier(Clock clock) {
        return new MandateVerifier(MandatePolicy.DEFAULT, clock);
    }

    static Clock at(long epochSeconds) {
        return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    static ObjectNode rootMessage() {
        return (ObjectNode) parse("""
                {"principal":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
                 "agent":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                 "asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e",
                 "budget":"10000000","perTaskMax":"1000000","skills":["summarize","translate"],
                 "notBefore":1767225600,"expiresAt":1798761600,
                 "parent":"0x0000000000000000000000000000000000000000000000000000000000000000",
                 "nonce":"0xf956d66e4786ef30afe2fc3d4ec0d9b98362e12d50c55dea7e724e1e0285d99a"}""");
    }

    static ObjectNode childMessage() {
        return (ObjectNode) parse("""
                {"principal":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                 "agent":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
                 "asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e",
                 "budget":"2500000","perTaskMax":"500000","skills":["summarize"],
                 "notBefore":1767225600,"expiresAt":1790000000,
                 "parent":"0xf0e69ede2b4e114c2022d2a09ccbcb01f692830b879e48ce4784e9c37ace22b2",
                 "nonce":"0x043e931cec0f9f84f55bc2eb76a4a1a87bf79e08d1dfae1b196dd81e19a516fd"}""");
    }

    static String body(JsonNode message, String signature) {
        ObjectNode body = JSON.createObjectNode();
        body.set("mandate", message);
        body.put("signature", signature);
        return body.toString();
    }

    /** {@code message} signed by {@code key} in the Purser Mandate domain of {@code chainId}. */
    static String signed(JsonNode message, Secp256k1Key key, long chainId) {
        Bytes32 digest = PurserTypes.SPENDING_MANDATE
                .typedData(PurserTypes.mandateDomain(chainId), message).digest();
        return body(message, key.sign(digest).hex());
    }

    static String signed(JsonNode message, Secp256k1Key key) {
        return signed(message, key, 84532);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Mandate accepted(MandateCheck check) {
        return assertInstanceOf(MandateCheck.Accepted.class, check, check::toString).mandate();
    }

    static MandateRefusal refused(MandateCheck check) {
        return assertInstanceOf(MandateCheck.Refused.class, check, check::toString).refusal();
    }

    static void assertRefused(MandateCheck check, String code, String field) {
        MandateRefusal refusal = refused(check);
        assertEquals(code, refusal.code(), refusal::toString);
        assertEquals(field, refusal.field(), refusal::toString);
    }
}
