package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Writes AP2 v0.2 SD-JWT hops (ap2.md §2.3, as AP2's SDK writes them): a JWS whose payload
 * discloses one mandate as the only element of {@code delegate_payload}, then that disclosure,
 * each followed by {@code ~}. What {@link SdJwt} reads; and the plain compact JWS an AP2 party
 * signs requests with (revocations, session keys). Used by the command line, which signs.
 */
public final class SdJwtWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SdJwtWriter() {
    }

    /**
     * An issuer-signed root open mandate disclosing {@code content}, the issuer's public key in
     * the header's {@code jwk} (Purser identifies the principal by the key that signed).
     */
    public static String root(P256Key issuer, JsonNode content, SecureRandom random) {
        ObjectNode header = NODES.objectNode().put("alg", "ES256").put("typ", "dc+sd-jwt");
        header.set("jwk", issuer.publicJwk());
        return token(issuer, header, NODES.objectNode(), content, random);
    }

    /**
     * A hop after {@code previous} (one hop as presented, with its trailing {@code ~}), signed
     * by the holder of {@code previous}'s {@code cnf} key: a child open mandate (typ
     * {@code kb+sd-jwt+kb}) or a closed mandate ({@code kb+sd-jwt}).
     */
    public static String hop(P256Key holder, String typ, String previous, JsonNode content,
            String aud, String nonce, long iat, SecureRandom random) {
        ObjectNode header = NODES.objectNode().put("alg", "ES256").put("typ", typ);
        ObjectNode claims = NODES.objectNode().put("iat", iat).put("aud", aud).put("nonce", nonce)
                .put("sd_hash", Base64Url.encode(Sha256.hash(
                        previous.getBytes(StandardCharsets.US_ASCII)).bytes()));
        return token(holder, header, claims, content, random);
    }

    /** A compact ES256 JWS of {@code payload}, header {@code alg: ES256, typ}. */
    public static String jws(P256Key signer, String typ, JsonNode payload) {
        String input = Base64Url.encode(utf8(NODES.objectNode().put("alg", "ES256")
                .put("typ", typ))) + "." + Base64Url.encode(utf8(payload));
        return input + "." + Base64Url.encode(signer.sign(input.getBytes(
                StandardCharsets.US_ASCII)));
    }

    private static String token(P256Key signer, ObjectNode header, ObjectNode claims,
            JsonNode content, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        ArrayNode disclosed = NODES.arrayNode().add(Base64Url.encode(salt)).add(content);
        String disclosure = Base64Url.encode(utf8(disclosed));
        ObjectNode payload = claims.deepCopy();
        payload.putArray("delegate_payload").addObject().put("...", Base64Url.encode(
                Sha256.hash(disclosure.getBytes(StandardCharsets.US_ASCII)).bytes()));
        payload.put("_sd_alg", SdJwt.SHA_256);
        String input = Base64Url.encode(utf8(header)) + "." + Base64Url.encode(utf8(payload));
        String signature = Base64Url.encode(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
        return input + "." + signature + "~" + disclosure + "~";
    }

    private static byte[] utf8(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
