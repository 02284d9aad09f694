package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * A JWS in compact serialization, {@code header.payload.signature} (RFC 7515 §7.1), parsed but
 * not yet verified: read claims only after {@link #verifyEs256} says {@code VALID}.
 *
 * @param compact the token as received
 * @param header the decoded protected header, a JSON object
 * @param payload the decoded payload, a JSON object (JWT claims)
 */
public record Jws(String compact, JsonNode header, JsonNode payload) {

    public Jws {
        if (compact == null || header == null || !header.isObject() || payload == null
                || !payload.isObject()) {
            throw new IllegalArgumentException("a JWS has a compact form, a header and a payload");
        }
    }

    public static TokenParse<Jws> parse(String compact) {
        if (compact == null || compact.length() > SdJwt.MAX_CHARS) {
            return refuse(TokenRefusal.TOO_LARGE, "token missing or too large");
        }
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            return refuse(TokenRefusal.MALFORMED_STRUCTURE, "a JWS has three parts");
        }
        byte[] header;
        byte[] payload;
        try {
            header = Base64Url.decode(parts[0]);
            payload = Base64Url.decode(parts[1]);
            Base64Url.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return refuse(TokenRefusal.MALFORMED_BASE64URL, "a JWS part is not base64url");
        }
        try {
            JsonNode headerJson = TokenJson.read(header);
            JsonNode payloadJson = TokenJson.read(payload);
            if (!headerJson.isObject() || !payloadJson.isObject()) {
                return refuse(TokenRefusal.MALFORMED_JSON, "header and payload must be objects");
            }
            return new TokenParse.Parsed<>(new Jws(compact, headerJson, payloadJson));
        } catch (IllegalArgumentException e) {
            return refuse(TokenRefusal.MALFORMED_JSON, e.getMessage());
        }
    }

    /** The header's {@code typ}, or empty text. */
    public String type() {
        return header.path("typ").asText("");
    }

    /** ASCII of {@code header.payload}: what the signature covers. */
    public byte[] signingInput() {
        return compact.substring(0, compact.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] signature() {
        return Base64Url.decode(compact.substring(compact.lastIndexOf('.') + 1));
    }

    /** Verifies the signature with {@code jwk}, if the header says ES256; nothing else is. */
    public Es256.Verdict verifyEs256(JsonNode jwk) {
        if (!"ES256".equals(header.path("alg").textValue())) {
            return Es256.Verdict.WRONG_ALGORITHM;
        }
        return Es256.verify(jwk, signingInput(), signature());
    }

    private static TokenParse<Jws> refuse(TokenRefusal reason, String detail) {
        return new TokenParse.Refused<>(reason, detail);
    }
}
