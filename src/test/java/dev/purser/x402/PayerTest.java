package dev.purser.x402;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.crypto.ServerKey;
import dev.purser.money.Asset;
import dev.purser.testing.NodePeers;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The x402 payer: what it signs Purser's own verifier and viem accept; what it refuses. */
class PayerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
    private static final Address PAY_TO = Address.of("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");
    private static final PaymentRequirement OFFER = new PaymentRequirement(
            Asset.BASE_SEPOLIA_USDC, 10_000, PAY_TO, 60, "https://agent.example/echo", "echo");

    private final Secp256k1Key key = Secp256k1Key.generate(new SecureRandom());
    private final Payer payer = Payer.of(key, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Bytes32 nonce = Payer.nonceFor("task-1", "provider-1");

    private Payer.Signed signed(JsonNode required, long max) {
        return assertInstanceOf(Payer.Signed.class, payer.pay(required, Asset.BASE_SEPOLIA_USDC,
                max, nonce));
    }

    private Payer.Refused refused(JsonNode required, long max) {
        return assertInstanceOf(Payer.Refused.class, payer.pay(required, Asset.BASE_SEPOLIA_USDC,
                max, nonce));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aPaymentInTheVersionAskedIsValidForPursersOwnVerifier(int x402Version) {
        Payer.Signed s = signed(OFFER.paymentRequired(x402Version, "pay"), 10_000);
        assertEquals(x402Version, s.payload().get("x402Version").asInt());
        PaymentPayload parsed = assertInstanceOf(PaymentPayload.Parsed.class,
                PaymentPayload.parse(s.payload())).payload();
        Eip3009Verifier.Valid valid = assertInstanceOf(Eip3009Verifier.Valid.class,
                Eip3009Verifier.verify(parsed, OFFER, NOW));
        assertEquals(key.address(), valid.payer());
        assertEquals(nonce, parsed.nonce());
        assertEquals(NOW.getEpochSecond() + 60, parsed.validBefore().longValueExact());
    }

    @Test
    void viemRecoversThePayerAndComputesTheSameNonce() throws Exception {
        Payer.Signed s = signed(OFFER.paymentRequired(2, "pay"), 10_000);
        ObjectNode input = JSON.createObjectNode();
        input.set("payload", s.payload());
        input.set("domain", PurserTypes.tokenDomain(Asset.BASE_SEPOLIA_USDC));
        input.put("taskId", "task-1").put("providerId", "provider-1");
        NodePeers.copyResource("x402/eip3009.mjs"); // the script imports it from beside it
        JsonNode out = JSON.readTree(NodePeers.run("x402/payer-cross-check.mjs", input.toString()));
        assertEquals(key.address().checksummed(), out.get("signer").asText());
        assertEquals(nonce.hex(), out.get("nonce").asText());
    }

    @Test
    void theNonceDependsOnTaskAndProviderOnly() {
        assertEquals(nonce, Payer.nonceFor("task-1", "provider-1"));
        assertNotEquals(nonce, Payer.nonceFor("task-1", "provider-2"));
        assertNotEquals(nonce, Payer.nonceFor("task-2", "provider-1"));
        // lengths are encoded: moving the split between the two strings changes the nonce
        assertNotEquals(Payer.nonceFor("ab", "c"), Payer.nonceFor("a", "bc"));
    }

    @Test
    void moreThanTheMaximumIsRefused() {
        assertEquals(Payer.Refusal.AMOUNT_EXCEEDS_MAXIMUM,
                refused(OFFER.paymentRequired(2, "pay"), 9_999).reason());
        ObjectNode huge = OFFER.paymentRequired(2, "pay");
        ((ObjectNode) huge.get("accepts").get(0)).put("amount", "1" + "0".repeat(30));
        assertEquals(Payer.Refusal.AMOUNT_EXCEEDS_MAXIMUM, refused(huge, Long.MAX_VALUE).reason());
    }

    @Test
    void anUnknownAssetOrNetworkOrSchemeIsRefused() {
        ObjectNode otherToken = OFFER.paymentRequired(2, "pay");
        ((ObjectNode) otherToken.get("accepts").get(0)).put("asset",
                "0x1111111111111111111111111111111111111111");
        assertEquals(Payer.Refusal.UNKNOWN_ASSET, refused(otherToken, 10_000).reason());
        ObjectNode otherChain = OFFER.paymentRequired(2, "pay");
        ((ObjectNode) otherChain.get("accepts").get(0)).put("network", "eip155:1");
        assertEquals(Payer.Refusal.UNKNOWN_ASSET, refused(otherChain, 10_000).reason());
        ObjectNode upto = OFFER.paymentRequired(2, "pay");
        ((ObjectNode) upto.get("accepts").get(0)).put("scheme", "upto");
        assertEquals(Payer.Refusal.UNSUPPORTED_SCHEME, refused(upto, 10_000).reason());
        assertEquals(Payer.Refusal.MALFORMED, refused(JSON.createObjectNode(), 10_000).reason());
    }

    @Test
    void aKnownAssetOtherThanTheOnePaidInIsRefused() {
        PaymentRequirement mainnet = new PaymentRequirement(Asset.BASE_USDC, 1, PAY_TO, 60,
                "https://agent.example/echo", "echo");
        assertEquals(Payer.Refusal.OTHER_ASSET, refused(mainnet.paymentRequired(1, "pay"),
                10_000).reason());
    }

    @Test
    void theFirstPayableOptionIsPaid() {
        ObjectNode required = OFFER.paymentRequired(2, "pay");
        ArrayNode accepts = (ArrayNode) required.get("accepts");
        accepts.insert(0, ((ObjectNode) accepts.get(0)).deepCopy().put("scheme", "upto"));
        assertEquals("exact", signed(required, 10_000).accepted().get("scheme").asText());
    }

    @Test
    void theOperatorsServerKeyPaysToo(@TempDir Path dir) {
        ServerKey operator = ServerKey.loadOrCreate(dir, "operator-key.hex");
        Payer.Signed s = assertInstanceOf(Payer.Signed.class, Payer.of(operator,
                Clock.fixed(NOW, ZoneOffset.UTC)).pay(OFFER.paymentRequired(2, "pay"),
                        Asset.BASE_SEPOLIA_USDC, 10_000, nonce));
        PaymentPayload parsed = ((PaymentPayload.Parsed) PaymentPayload.parse(s.payload()))
                .payload();
        assertEquals(operator.address(), assertInstanceOf(Eip3009Verifier.Valid.class,
                Eip3009Verifier.verify(parsed, OFFER, NOW)).payer());
    }
}
