package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;

/**
 * A P-256 private key that signs ES256 (raw {@code r ‖ s}, RFC 7518 §3.4): the key of an AP2
 * issuer or agent, kept as a private JWK ({@code kty, crv, x, y, d}) the way JOSE tools keep
 * one. Only the command line signs with it; the server only verifies ({@link Es256}).
 */
public final class P256Key {

    private final PrivateKey secret;
    private final ObjectNode publicJwk;
    private final String d;

    private P256Key(PrivateKey secret, ObjectNode publicJwk, String d) {
        this.secret = secret;
        this.publicJwk = publicJwk;
        this.d = d;
    }

    /** A new key. */
    public static P256Key generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            var pair = generator.generateKeyPair();
            ECPublicKey pub = (ECPublicKey) pair.getPublic();
            ObjectNode jwk = JsonNodeFactory.instance.objectNode().put("kty", "EC")
                    .put("crv", "P-256")
                    .put("x", Base64Url.encode(fixed(pub.getW().getAffineX())))
                    .put("y", Base64Url.encode(fixed(pub.getW().getAffineY())));
            return new P256Key(pair.getPrivate(), jwk,
                    Base64Url.encode(fixed(((ECPrivateKey) pair.getPrivate()).getS())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available", e);
        }
    }

    /**
     * The key in a private JWK.
     *
     * @throws IllegalArgumentException if it is not a P-256 private JWK whose {@code d} is the
     *     secret of its {@code x, y}
     */
    public static P256Key fromJwk(JsonNode jwk) {
        if (Es256.publicKey(jwk).isEmpty()) {
            throw new IllegalArgumentException("not a P-256 JWK (kty EC, crv P-256, x, y on the"
                    + " curve)");
        }
        if (!jwk.path("d").isTextual()) {
            throw new IllegalArgumentException("the JWK has no private part (d)");
        }
        P256Key key;
        try {
            BigInteger s = new BigInteger(1, Base64Url.decode(jwk.get("d").textValue()));
            PrivateKey secret = KeyFactory.getInstance("EC")
                    .generatePrivate(new ECPrivateKeySpec(s, Es256.P256));
            ObjectNode pub = JsonNodeFactory.instance.objectNode().put("kty", "EC")
                    .put("crv", "P-256").put("x", jwk.get("x").textValue())
                    .put("y", jwk.get("y").textValue());
            key = new P256Key(secret, pub, jwk.get("d").textValue());
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the JWK's d is not a P-256 private key");
        }
        // Signing once proves d belongs to x, y without curve arithmetic of our own.
        byte[] probe = "purser-key-check".getBytes(StandardCharsets.US_ASCII);
        if (Es256.verify(key.publicJwk, probe, key.sign(probe)) != Es256.Verdict.VALID) {
            throw new IllegalArgumentException("the JWK's d is not the private key of its x, y");
        }
        return key;
    }

    /** The public JWK: {@code kty, crv, x, y}. */
    public ObjectNode publicJwk() {
        return publicJwk.deepCopy();
    }

    /** The private JWK, to store: the public members and {@code d}. */
    public ObjectNode privateJwk() {
        return publicJwk().put("d", d);
    }

    /** The ES256 signature of {@code input}: raw {@code r ‖ s}, 64 bytes. */
    public byte[] sign(byte[] input) {
        try {
            java.security.Signature signer =
                    java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(secret);
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing is not available", e);
        }
    }

    /** {@code value} as 32 big-endian bytes, the width JWK coordinates have on P-256. */
    private static byte[] fixed(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
        return out;
    }
}
