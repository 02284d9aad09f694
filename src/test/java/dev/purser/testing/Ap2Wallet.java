package dev.purser.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.digest.Keccak;

/**
 * An AP2 v0.2 party holding a P-256 key — a Trusted Surface issuing open mandates, or an agent
 * delegating them and signing closed ones — written for tests from ap2.md §2.3 and AP2's SDK
 * ({@code sdjwt/kb_sd_jwt.py}), on the JDK's own crypto and Jackson only: nothing of Purser's
 * main code, so that what Purser verifies was made by another implementation. Checked against
 * the spec's published chain (vectors.md §8) by {@code Ap2WalletTest}.
 */
public final class Ap2Wallet {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;

    public Ap2Wallet() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This key's public JWK: kty, crv, x, y. */
    public ObjectNode jwk() {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        return JSON.createObjectNode().put("kty", "EC").put("crv", "P-256")
                .put("x", b64(coordinate(key.getW().getAffineX())))
                .put("y", b64(coordinate(key.getW().getAffineY())));
    }

    /** A root open mandate disclosing {@code content}, this key in the header's jwk. */
    public String issue(JsonNode content) {
        ObjectNode header = JSON.createObjectNode().put("alg", "ES256")
                .put("typ", "example+sd-jwt");
        header.set("jwk", jwk());
        return token(header, JSON.createObjectNode(), content);
    }

    /**
     * A child open mandate (typ {@code kb+sd-jwt+kb}) this key — {@code previous}'s
     * {@code cnf.jwk} — delegates, bound to {@code previous} (one hop, with its trailing ~).
     */
    public String delegate(String previous, JsonNode content, String aud, String nonce) {
        return hop("kb+sd-jwt+kb", previous, content, aud, nonce, now());
    }

    /** A closed payment mandate (typ {@code kb+sd-jwt}) over {@code previous}, issued now. */
    public String close(String previous, JsonNode content, String aud, String nonce) {
        return close(previous, content, aud, nonce, now());
    }

    /** A closed payment mandate over {@code previous}, issued at {@code iat}. */
    public String close(String previous, JsonNode content, String aud, String nonce, long iat) {
        return hop("kb+sd-jwt", previous, content, aud, nonce, iat);
    }

    /** A compact ES256 JWS of {@code payload}, header {@code alg: ES256, typ}. */
    public String jws(String typ, JsonNode payload) {
        String input = b64(json(JSON.createObjectNode().put("alg", "ES256").put("typ", typ)))
                + "." + b64(json(payload));
        return input + "." + b64(sign(input));
    }

    /**
     * Purser's profile of an open payment mandate for {@code holder}: a budget in USD, the skills
     * it may buy, issued a minute ago, expiring in {@code expiresIn} seconds.
     */
    public static ObjectNode openMandate(Ap2Wallet holder, String budgetUsd, List<String> skills,
            long expiresIn) {
        ObjectNode content = JSON.createObjectNode()
                .put("vct", "mandate.payment.open.1");
        ArrayNode constraints = content.putArray("constraints");
        constraints.addObject().put("type", "payment.budget")
                .put("max", new BigDecimal(budgetUsd)).put("currency", "USD");
        ArrayNode allowed = constraints.addObject().put("type", "org.purser.allowed_skills")
                .putArray("allowed");
        skills.forEach(allowed::add);
        content.putObject("cnf").set("jwk", holder.jwk());
        content.put("iat", now() - 60).put("exp", now() + expiresIn);
        return content;
    }

    /** A closed payment mandate of {@code cents} (US cents) to Purser, paid with x402. */
    public static ObjectNode closedMandate(long cents) {
        ObjectNode closed = JSON.createObjectNode().put("vct", "mandate.payment.1")
                .put("transaction_id", UUID.randomUUID().toString());
        closed.putObject("payee").put("id", "purser").put("name", "Purser");
        closed.putObject("payment_amount").put("amount", cents).put("currency", "USD");
        closed.putObject("payment_instrument").put("id", "x402").put("type", "x402");
        return closed;
    }

    /** The hops of a chain joined as the spec presents them: {@code <a>~~<b>…}. */
    public static String chain(String... hops) {
        return String.join("~", hops);
    }

    /** {@code 0x} + keccak256 of the UTF-8 bytes of {@code text}: the x402 binding's nonce. */
    public static String keccak(String text) {
        return "0x" + HexFormat.of().formatHex(
                new Keccak.Digest256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** base64url(SHA-256(ASCII(text))): a disclosure's digest, or an SD-JWT's sd_hash. */
    public static String digest(String text) {
        try {
            return b64(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the compact JWS {@code jws} verifies (ES256, raw r||s) with the P-256 {@code jwk}. */
    public static boolean verifies(String jws, JsonNode jwk) {
        try {
            ECParameterSpec p256 = ((ECPublicKey) new Ap2Wallet().keys.getPublic()).getParams();
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(new BigInteger(1, unb64(jwk.get("x").asText())),
                            new BigInteger(1, unb64(jwk.get("y").asText()))), p256));
            int dot = jws.lastIndexOf('.');
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(key);
            verifier.update(jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(unb64(jws.substring(dot + 1)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a hop's JWS (its text up to the first ~), 0x-hex: the mandate id Purser gives it. */
    public static String id(String hop) {
        try {
            return "0x" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    hop.substring(0, hop.indexOf('~')).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private String hop(String typ, String previous, JsonNode content, String aud, String nonce,
            long iat) {
        ObjectNode header = JSON.createObjectNode().put("alg", "ES256").put("typ", typ);
        ObjectNode claims = JSON.createObjectNode().put("iat", iat).put("aud", aud)
                .put("nonce", nonce).put("sd_hash", digest(previous));
        return token(header, claims, content);
    }

    /** {@code <jws>~<disclosure>~}: claims plus delegate_payload [{"...": digest}]. */
    private String token(ObjectNode header, ObjectNode claims, JsonNode content) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        ArrayNode disclosed = JSON.createArrayNode().add(b64(salt));
        disclosed.add(content);
        String disclosure = b64(json(disclosed));
        ObjectNode payload = claims.deepCopy().put("_sd_alg", "sha-256");
        payload.putArray("delegate_payload").addObject().put("...", digest(disclosure));
        String input = b64(json(header)) + "." + b64(json(payload));
        return input + "." + b64(sign(input)) + "~" + disclosure + "~";
    }

    /** This key's ES256 signature (raw r||s) of the ASCII {@code input}. */
    public byte[] sign(String input) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(keys.getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] json(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
        return out;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unb64(String text) {
        return Base64.getUrlDecoder().decode(text);
    }
}
