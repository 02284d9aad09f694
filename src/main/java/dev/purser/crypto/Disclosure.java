package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One SD-JWT disclosure (RFC 9901 §4.2): base64url of {@code [salt, name, value]} for an object
 * property or {@code [salt, value]} for an array element. Its digest is what the issuer signed.
 *
 * @param encoded the base64url text as presented; the digest is over these exact characters
 * @param salt the salt, which keeps the digest of a guessable value unguessable
 * @param name the property name, empty for an array element
 * @param value the disclosed value, before its own nested disclosures are applied
 */
public record Disclosure(String encoded, String salt, Optional<String> name, JsonNode value) {

    /** base64url(SHA-256(ASCII(encoded))), the form found in {@code _sd} and {@code ...}. */
    public String digest() {
        return Base64Url.encode(Sha256.hash(encoded.getBytes(StandardCharsets.US_ASCII)).bytes());
    }

    boolean isArrayElement() {
        return name.isEmpty();
    }
}
