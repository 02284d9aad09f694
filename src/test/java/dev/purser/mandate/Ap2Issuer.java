package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.testing.Ap2Wallet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/** Issues AP2 open payment mandates as ES256 SD-JWTs, the way a Trusted Surface would. */
final class Ap2Issuer {

    /** The key, held by the test wallet that builds the end-to-end tests' chains. */
    private final Ap2Wallet wallet = new Ap2Wallet();

    ObjectNode jwk() {
        return wallet.jwk();
    }

    /** An open mandate disclosing {@code content}, with this key in the header's jwk. */
    String issue(JsonNode content) {
        ObjectNode header = Fixtures.JSON.createObjectNode().put("alg", "ES256")
                .put("typ", "example+sd-jwt");
        header.set("jwk", jwk());
        return issue(header, content, this);
    }

    /** An open mandate with the given header, signed by {@code signer}. */
    String issue(ObjectNode header, JsonNode content, Ap2Issuer signer) {
        ArrayNode disclosureJson = Fixtures.JSON.createArrayNode().add("c2FsdC1zYWx0LXNhbHQ");
        disclosureJson.add(content);
        String disclosure = b64(disclosureJson.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode payload = Fixtures.JSON.createObjectNode().put("_sd_alg", "sha-256");
        payload.putArray("delegate_payload").addObject().put("...", b64(sha256(disclosure)));
        return compact(header, payload, signer) + "~" + disclosure + "~";
    }

    /**
     * A closed payment mandate (KB-SD-JWT) this key — the open mandate's {@code cnf.jwk} —
     * signs over {@code open}, as an autonomous agent draws: the chain {@code open~closed}.
     */
    String close(String open, JsonNode content) {
        return close(open, content, "purser");
    }

    /** As {@link #close(String, JsonNode)}, addressed to {@code aud}. */
    String close(String open, JsonNode content, String aud) {
        ArrayNode disclosureJson = Fixtures.JSON.createArrayNode().add("Y2xvc2VkLXNhbHQtMQ");
        disclosureJson.add(content);
        String disclosure = b64(disclosureJson.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode header = Fixtures.JSON.createObjectNode().put("alg", "ES256")
                .put("typ", "kb+sd-jwt");
        ObjectNode payload = Fixtures.JSON.createObjectNode().put("_sd_alg", "sha-256")
                .put("iat", System.currentTimeMillis() / 1000).put("aud", aud)
                .put("nonce", b64(sha256(content.toString())))
                .put("sd_hash", b64(sha256(open)));
        payload.putArray("delegate_payload").addObject().put("...", b64(sha256(disclosure)));
        return open + "~" + compact(header, payload, this) + "~" + disclosure + "~";
    }

    /** A compact ES256 JWS of {@code payload} with header {@code alg: ES256, typ}. */
    String jws(String typ, JsonNode payload) {
        return compact(Fixtures.JSON.createObjectNode().put("alg", "ES256").put("typ", typ),
                payload, this);
    }

    /** The compact JWS of {@code header} and {@code payload}, signed by {@code signer}. */
    private static String compact(JsonNode header, JsonNode payload, Ap2Issuer signer) {
        String input = b64(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64(payload.toString().getBytes(StandardCharsets.UTF_8));
        return input + "." + b64(signer.sign(input));
    }

    private byte[] sign(String input) {
        return wallet.sign(input);
    }

    static String body(String sdJwt) {
        return Fixtures.JSON.createObjectNode().put("sdJwt", sdJwt).toString();
    }

    private static byte[] sha256(String ascii) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(ascii.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
