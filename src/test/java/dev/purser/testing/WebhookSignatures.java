package dev.purser.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * A webhook receiver's check of {@code X-Purser-Signature}, written from the README's recipe with
 * BouncyCastle and the JDK only (none of Purser's signing code): read the key from the card,
 * recompute the JWS signing input over the received bytes, verify ES256K.
 */
public final class WebhookSignatures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private WebhookSignatures() {
    }

    /** The {@code webhookSigningKey} JWK of the mandate extension on the served card. */
    public static JsonNode cardKey() {
        JsonNode card = read(given().get("/.well-known/agent-card.json").then().statusCode(200)
                .extract().asByteArray());
        for (JsonNode ext : card.at("/capabilities/extensions")) {
            JsonNode key = ext.at("/params/webhookSigningKey");
            if (!key.isMissingNode()) {
                assertEquals(ext.at("/params/receiptSigner").asText(), key.get("kid").asText(),
                        "the key id is the receipt signer's address");
                return key;
            }
        }
        throw new AssertionError("no extension on the card publishes webhookSigningKey");
    }

    /** Asserts that the POST is signed by {@code jwk}, and that a changed body is not. */
    public static void assertSigned(Webhook.Post post, JsonNode jwk) {
        String signature = post.header("X-Purser-Signature");
        assertNotNull(signature, "the POST has X-Purser-Signature");
        JsonNode header = read(B64URL.decode(signature.substring(0, signature.indexOf('.'))));
        assertEquals("ES256K", header.get("alg").asText());
        assertFalse(header.get("b64").asBoolean(true), "b64 is false");
        assertEquals("b64", header.at("/crit/0").asText());
        assertEquals(jwk.get("kid").asText(), header.get("kid").asText());
        long age = System.currentTimeMillis() / 1000 - header.get("iat").asLong();
        assertTrue(age >= -60 && age < 600, "iat is the time of sending, not " + age + " s off");
        assertTrue(verifies(signature, post.raw(), jwk), "the signature verifies over the body");
        byte[] tampered = post.raw().clone();
        tampered[tampered.length / 2] ^= 1;
        assertFalse(verifies(signature, tampered, jwk), "a changed body does not verify");
    }

    /** ES256K over {@code ASCII(header) || "." || body}, the detached-payload JWS rule. */
    public static boolean verifies(String signature, byte[] body, JsonNode jwk) {
        String[] parts = signature.split("\\.", -1);
        assertEquals(3, parts.length, "header..signature");
        assertEquals("", parts[1], "the payload is detached");
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(parts[0].getBytes(StandardCharsets.US_ASCII));
        input.write('.');
        input.writeBytes(body);
        byte[] rs = B64URL.decode(parts[2]);
        assertEquals(64, rs.length, "r || s");
        byte[] point = new byte[65];
        point[0] = 4;
        System.arraycopy(B64URL.decode(jwk.get("x").asText()), 0, point, 1, 32);
        System.arraycopy(B64URL.decode(jwk.get("y").asText()), 0, point, 33, 32);
        ECDomainParameters domain = new ECDomainParameters(SECP256K1.getCurve(),
                SECP256K1.getG(), SECP256K1.getN(), SECP256K1.getH());
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(SECP256K1.getCurve().decodePoint(point),
                domain));
        return verifier.verifySignature(sha256(input.toByteArray()),
                new BigInteger(1, Arrays.copyOfRange(rs, 0, 32)),
                new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)));
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
