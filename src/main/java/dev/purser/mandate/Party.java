package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who signs or may draw on a mandate: an Ethereum account (EIP-712 form) or a P-256 key (AP2
 * form: the issuer key and the {@code cnf} key). Two parties are the same exactly when their
 * {@link #id} is, so an EIP-712 child can never name an AP2 parent's agent, and vice versa.
 */
public sealed interface Party permits Party.Account, Party.P256Key {

    /**
     * The stable text form the envelope stores and shows: the EIP-55 address, or the RFC 9278
     * JWK thumbprint URN of the key.
     */
    String id();

    /** An Ethereum account, identified by its address. */
    record Account(Address address) implements Party {
        public Account {
            if (address == null) {
                throw new IllegalArgumentException("address is required");
            }
        }

        @Override
        public String id() {
            return address.checksummed();
        }
    }

    /**
     * A P-256 public key, identified by its RFC 7638 SHA-256 thumbprint (the only members hashed
     * are crv, kty, x, y, so the same key with another {@code kid} or {@code alg} is the same
     * party).
     *
     * @param thumbprint base64url RFC 7638 thumbprint
     * @param jwk the key reduced to {@code kty, crv, x, y}, to verify this party's signatures
     */
    record P256Key(String thumbprint, JsonNode jwk) implements Party {

        public static final String URN_PREFIX = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:";

        /** The key in {@code jwk}, already known to be a valid P-256 JWK. */
        public static P256Key of(JsonNode jwk) {
            String crv = jwk.path("crv").asText();
            String kty = jwk.path("kty").asText();
            String x = jwk.path("x").asText();
            String y = jwk.path("y").asText();
            // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
            String canonical = "{\"crv\":\"" + crv + "\",\"kty\":\"" + kty + "\",\"x\":\"" + x
                    + "\",\"y\":\"" + y + "\"}";
            String thumbprint = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    Sha256.hash(canonical.getBytes(StandardCharsets.UTF_8)).bytes());
            ObjectNode reduced = JsonNodeFactory.instance.objectNode()
                    .put("kty", kty).put("crv", crv).put("x", x).put("y", y);
            return new P256Key(thumbprint, reduced);
        }

        @Override
        public String id() {
            return URN_PREFIX + thumbprint;
        }
    }
}
