package dev.purser.crypto;

import static dev.purser.crypto.TestVectors.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Es256Test {

    /** The open AP2 mandate's cnf.jwk (vectors.md §8). */
    private static final JsonNode AGENT_JWK = parse("{\"kty\":\"EC\",\"crv\":\"P-256\","
            + "\"x\":\"QpSyxPQHy38xckyvDr54gZ3T42zj9iLtV4koyb5U27c\","
            + "\"y\":\"37HLd7JJinxjJIn8J7HijssoecBlfhdW-gUL7feI9lw\"}");

    @Test
    void verifiesARawJoseSignatureMadeByTheJdk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);
        java.security.Signature signer =
                java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(pair.getPrivate());
        signer.update(input);
        byte[] raw = signer.sign();
        JsonNode jwk = jwk((ECPublicKey) pair.getPublic());
        assertEquals(Es256.Verdict.VALID, Es256.verify(jwk, input, raw));
        byte[] other = "header.payload2".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Es256.Verdict.INVALID_SIGNATURE, Es256.verify(jwk, other, raw));
        assertEquals(Es256.Verdict.MALFORMED_SIGNATURE,
                Es256.verify(jwk, input, Arrays.copyOf(raw, 63)));
        assertEquals(Es256.Verdict.MALFORMED_SIGNATURE, Es256.verify(jwk, input, new byte[64]));
    }

    @Test
    void acceptsTheAgentKeyOfTheAp2Vector() {
        assertTrue(Es256.publicKey(AGENT_JWK).isPresent());
    }

    @Test
    void refusesKeysThatAreNotP256PointsOnTheCurve() {
        ObjectNode offCurve = AGENT_JWK.deepCopy();
        offCurve.put("y", "47HLd7JJinxjJIn8J7HijssoecBlfhdW-gUL7feI9lw");
        ObjectNode nonCanonical = AGENT_JWK.deepCopy();
        nonCanonical.put("y", "37HLd7JJinxjJIn8J7HijssoecBlfhdW-gUL7feI9lx");
        ObjectNode otherCurve = AGENT_JWK.deepCopy();
        otherCurve.put("crv", "secp256k1");
        ObjectNode shortX = AGENT_JWK.deepCopy();
        shortX.put("x", "QpSyxPQHy38xckyvDr54gZ3T42zj9iLtV4koyb5U2w");
        ObjectNode rsa = AGENT_JWK.deepCopy();
        rsa.put("kty", "RSA");
        for (JsonNode jwk : new JsonNode[] {offCurve, nonCanonical, otherCurve, shortX, rsa}) {
            assertEquals(Es256.Verdict.INVALID_KEY, Es256.verify(jwk, new byte[1], new byte[64]),
                    jwk.toString());
        }
    }

    private static JsonNode jwk(ECPublicKey key) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return parse("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
                + encoder.encodeToString(fixed(key.getW().getAffineX().toByteArray()))
                + "\",\"y\":\""
                + encoder.encodeToString(fixed(key.getW().getAffineY().toByteArray())) + "\"}");
    }

    private static byte[] fixed(byte[] magnitude) {
        byte[] out = new byte[32];
        int length = Math.min(magnitude.length, 32);
        System.arraycopy(magnitude, magnitude.length - length, out, 32 - length, length);
        return out;
    }
}
