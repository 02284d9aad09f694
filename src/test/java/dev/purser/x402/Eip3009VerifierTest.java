package dev.purser.x402;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Hex;
import dev.purser.crypto.Secp256k1;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.money.Asset;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Eip3009VerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Address PAY_TO = Address.of("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");
    private static final PaymentRequirement OFFER = new PaymentRequirement(Asset.BASE_SEPOLIA_USDC,
            10000, PAY_TO, 60, "https://purser.example/skills/echo-paid", "echo-paid");

    /** The x402 specification's own example authorization (vectors.md §3). */
    private static final String SPEC_V1 = """
            {"x402Version":1,"scheme":"exact","network":"base-sepolia",
             "payload":{"signature":"0x2d6a7588d6acca505cbf0d9a4a227e0c52c6c34008c8e8986a1283259764173608a2ce6496642e377d6da8dbbf5836e9bd15092f9ecab05ded3d6293af148b571c",
              "authorization":{"from":"0x857b06519E91e3A54538791bDbb0E22373e36b66","to":"0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
               "value":"10000","validAfter":"1740672089","validBefore":"1740672154",
               "nonce":"0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480"}}}""";
    private static final Instant SPEC_NOW = Instant.ofEpochSecond(1740672100);

    private static PaymentPayload parse(String json) throws Exception {
        return ((PaymentPayload.Parsed) PaymentPayload.parse(JSON.readTree(json))).payload();
    }

    private static String reason(Eip3009Verifier.Verification v) {
        return assertInstanceOf(Eip3009Verifier.Invalid.class, v).refusal().reason();
    }

    private static X402Error error(Eip3009Verifier.Verification v) {
        return assertInstanceOf(Eip3009Verifier.Invalid.class, v).refusal().error();
    }

    @Test
    void theSpecsExampleAuthorizationVerifiesAndNamesItsPayer() throws Exception {
        var v = Eip3009Verifier.verify(parse(SPEC_V1), OFFER, SPEC_NOW);
        var valid = assertInstanceOf(Eip3009Verifier.Valid.class, v);
        assertEquals(Address.of("0x857b06519E91e3A54538791bDbb0E22373e36b66"), valid.payer());
    }

    @Test
    void theSameAuthorizationInV2FormVerifiesToo() throws Exception {
        ObjectNode v2 = (ObjectNode) JSON.readTree(SPEC_V1);
        v2.put("x402Version", 2);
        v2.remove("scheme");
        v2.remove("network");
        v2.set("accepted", OFFER.toJson(2));
        assertInstanceOf(Eip3009Verifier.Valid.class,
                Eip3009Verifier.verify(parse(v2.toString()), OFFER, SPEC_NOW));
    }

    @Test
    void aWindowThatHasClosedOrNotYetOpenedIsAnExpiredPayment() throws Exception {
        var late = Eip3009Verifier.verify(parse(SPEC_V1), OFFER, Instant.ofEpochSecond(1740672150));
        assertEquals("invalid_exact_evm_payload_authorization_valid_before", reason(late));
        assertEquals(X402Error.EXPIRED_PAYMENT, error(late));
        var early = Eip3009Verifier.verify(parse(SPEC_V1), OFFER, Instant.ofEpochSecond(1740672000));
        assertEquals("invalid_exact_evm_payload_authorization_valid_after", reason(early));
    }

    @Test
    void aRecheckKeepsTheRecoveredSignerButRunsTheTimeRulesAgain() throws Exception {
        PaymentPayload p = parse(SPEC_V1);
        var valid = assertInstanceOf(Eip3009Verifier.Valid.class,
                Eip3009Verifier.verify(p, OFFER, SPEC_NOW));
        assertEquals(valid, Eip3009Verifier.recheck(p, OFFER, valid, SPEC_NOW.plusSeconds(20)));
        var late = Eip3009Verifier.recheck(p, OFFER, valid, Instant.ofEpochSecond(1740672150));
        assertEquals("invalid_exact_evm_payload_authorization_valid_before", reason(late));
        PaymentRequirement otherPrice = new PaymentRequirement(Asset.BASE_SEPOLIA_USDC, 20000,
                PAY_TO, 60, "https://purser.example/skills/echo-paid", "echo-paid");
        assertEquals(X402Error.INVALID_AMOUNT,
                error(Eip3009Verifier.recheck(p, otherPrice, valid, SPEC_NOW)));
    }

    // ---- payments signed here, one field wrong at a time ---------------------------------------

    private final Secp256k1Key payer = Secp256k1Key.generate(new SecureRandom());
    private final Instant now = Instant.now();

    private ObjectNode signed(long value, Address to, String network, long validAfter,
            long validBefore, Secp256k1Key signer) throws Exception {
        ObjectNode auth = JSON.createObjectNode();
        auth.put("from", payer.address().checksummed());
        auth.put("to", to.checksummed());
        auth.put("value", Long.toString(value));
        auth.put("validAfter", Long.toString(validAfter));
        auth.put("validBefore", Long.toString(validBefore));
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        auth.put("nonce", Hex.encode(nonce));
        ObjectNode p = JSON.createObjectNode();
        p.put("x402Version", 1);
        p.put("scheme", "exact");
        p.put("network", network);
        p.putObject("payload").set("authorization", auth);
        PaymentPayload unsigned = parseUnsigned(p);
        Bytes32 digest = Eip3009Verifier.digest(unsigned, OFFER);
        ((ObjectNode) p.get("payload")).put("signature", signer.sign(digest).hex());
        return p;
    }

    private static PaymentPayload parseUnsigned(ObjectNode p) throws Exception {
        ObjectNode copy = p.deepCopy();
        ((ObjectNode) copy.get("payload")).put("signature", "0x" + "00".repeat(65));
        return parse(copy.toString());
    }

    private ObjectNode good() throws Exception {
        return signed(10000, PAY_TO, "base-sepolia", now.getEpochSecond() - 600,
                now.getEpochSecond() + 50, payer);
    }

    @Test
    void aCorrectPaymentSignedHereVerifies() throws Exception {
        assertInstanceOf(Eip3009Verifier.Valid.class, Eip3009Verifier.verify(parse(good().toString()), OFFER, now));
    }

    @Test
    void eachWrongFieldIsRefusedWithItsCode() throws Exception {
        long t = now.getEpochSecond();
        assertEquals(X402Error.INVALID_AMOUNT, error(Eip3009Verifier.verify(parse(
                signed(9999, PAY_TO, "base-sepolia", t - 600, t + 50, payer).toString()), OFFER, now)));
        assertEquals(X402Error.INVALID_PAYEE, error(Eip3009Verifier.verify(parse(
                signed(10000, payer.address(), "base-sepolia", t - 600, t + 50, payer).toString()), OFFER, now)));
        assertEquals(X402Error.NETWORK_MISMATCH, error(Eip3009Verifier.verify(parse(
                signed(10000, PAY_TO, "base", t - 600, t + 50, payer).toString()), OFFER, now)));
        assertEquals(X402Error.EXPIRED_PAYMENT, error(Eip3009Verifier.verify(parse(
                signed(10000, PAY_TO, "base-sepolia", t - 600, t + 3, payer).toString()), OFFER, now)));
        assertEquals(X402Error.EXPIRED_PAYMENT, error(Eip3009Verifier.verify(parse(
                signed(10000, PAY_TO, "base-sepolia", t - 600, t + 3600, payer).toString()), OFFER, now)),
                "valid far longer than maxTimeoutSeconds");
        Secp256k1Key other = Secp256k1Key.generate(new SecureRandom());
        assertEquals("invalid_exact_evm_payload_signature", reason(Eip3009Verifier.verify(parse(
                signed(10000, PAY_TO, "base-sepolia", t - 600, t + 50, other).toString()), OFFER, now)));
    }

    @Test
    void aFieldChangedAfterSigningBreaksTheSignature() throws Exception {
        ObjectNode p = good();
        ((ObjectNode) p.at("/payload/authorization")).put("validAfter", Long.toString(now.getEpochSecond() - 601));
        assertEquals("invalid_exact_evm_payload_signature",
                reason(Eip3009Verifier.verify(parse(p.toString()), OFFER, now)));
    }

    @Test
    void theHighSTwinOfAValidSignatureIsRefused() throws Exception {
        ObjectNode p = good();
        byte[] sig = Hex.decode(p.at("/payload/signature").asText());
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        byte[] highS = Secp256k1.N.subtract(s).toByteArray();
        byte[] twin = sig.clone();
        java.util.Arrays.fill(twin, 32, 64, (byte) 0);
        int len = Math.min(32, highS.length);
        System.arraycopy(highS, highS.length - len, twin, 64 - len, len);
        twin[64] = (byte) (sig[64] == 27 ? 28 : 27); // the twin recovers the same key with v flipped
        ((ObjectNode) p.get("payload")).put("signature", Hex.encode(twin));
        var v = Eip3009Verifier.verify(parse(p.toString()), OFFER, now);
        assertEquals(X402Error.INVALID_SIGNATURE, error(v));
        assertEquals("signature refused: HIGH_S",
                assertInstanceOf(Eip3009Verifier.Invalid.class, v).refusal().detail());
    }

    @Test
    void aV2PayloadMustEchoTheOfferedRequirement() throws Exception {
        ObjectNode p = good();
        p.put("x402Version", 2);
        p.remove("scheme");
        p.remove("network");
        ObjectNode accepted = OFFER.toJson(2);
        accepted.put("amount", "1");
        p.set("accepted", accepted);
        assertEquals(X402Error.INVALID_AMOUNT, error(Eip3009Verifier.verify(parse(p.toString()), OFFER, now)));
    }

    @Test
    void malformedPayloadsAreRefusedWhenParsed() throws Exception {
        for (String bad : new String[] {"{}", "{\"x402Version\":3}",
                "{\"x402Version\":1,\"scheme\":\"exact\",\"network\":\"base-sepolia\"}",
                SPEC_V1.replace("\"10000\"", "10000"), SPEC_V1.replace("\"10000\"", "\"-1\""),
                SPEC_V1.replace("0xf3746613", "0xf37466")}) {
            JsonNode json = JSON.readTree(bad);
            assertInstanceOf(PaymentPayload.Refused.class, PaymentPayload.parse(json), bad);
        }
    }
}
