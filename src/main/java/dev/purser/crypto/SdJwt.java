package dev.purser.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An SD-JWT, {@code <jws>~<disclosure>~…~[<kb-jwt>]} (RFC 9901), with its disclosed claims
 * reconstructed: each disclosure is matched to a digest in an {@code _sd} array or a
 * {@code {"...": digest}} array element, anywhere in the payload or inside other disclosed values,
 * and put in its place; digests that match nothing are decoys and disappear.
 *
 * <p>Parsing checks structure and digests only. Signatures are checked by the caller with
 * {@link Jws#verifyEs256}, since which key must have signed depends on the chain (the issuer's
 * key for the first hop, the previous hop's {@code cnf.jwk} after that, ap2.md §2.3).
 *
 * @param jwt the issuer-signed JWS
 * @param disclosures the disclosures presented, in order
 * @param keyBinding the key-binding JWT, if one was appended
 * @param issuance the token up to and including the {@code ~} before the key-binding JWT: the
 *     exact text an {@code sd_hash} covers
 * @param claims the payload with every disclosure applied and {@code _sd}, {@code _sd_alg}
 *     removed
 */
public record SdJwt(Jws jwt, List<Disclosure> disclosures, Optional<Jws> keyBinding,
        String issuance, JsonNode claims) {

    /** A limit on what anyone may make Purser parse: AP2 chains are a few kilobytes. */
    public static final int MAX_CHARS = 256 * 1024;

    /** The only digest algorithm AP2 uses (and the RFC's default). */
    public static final String SHA_256 = "sha-256";

    public SdJwt {
        disclosures = List.copyOf(disclosures);
    }

    /** Parses one SD-JWT, with or without a key-binding JWT. */
    public static TokenParse<SdJwt> parse(String token) {
        try {
            return new TokenParse.Parsed<>(parseOrThrow(token));
        } catch (Refusal refusal) {
            return new TokenParse.Refused<>(refusal.reason, refusal.getMessage());
        }
    }

    /**
     * Splits an AP2 mandate chain, each SD-JWT of which ends with {@code ~} and is joined to the
     * next by one more {@code ~}, into its SD-JWTs, each with its trailing {@code ~} restored
     * (so its {@link #issuance} is the text the next hop's {@code sd_hash} covers).
     */
    public static List<String> splitChain(String chain) {
        String[] hops = chain.split("~~", -1);
        List<String> out = new ArrayList<>(hops.length);
        for (int i = 0; i < hops.length; i++) {
            out.add(i < hops.length - 1 ? hops[i] + "~" : hops[i]);
        }
        return out;
    }

    /**
     * base64url(SHA-256(ASCII(issuance))): the {@code sd_hash} a key-binding JWT or the next hop
     * of a chain must carry to bind itself to this token.
     */
    public String sdHash() {
        return Base64Url.encode(Sha256.hash(issuance.getBytes(StandardCharsets.US_ASCII))
                .bytes());
    }

    private static SdJwt parseOrThrow(String token) {
        if (token == null || token.length() > MAX_CHARS) {
            throw new Refusal(TokenRefusal.TOO_LARGE, "token missing or too large");
        }
        String[] parts = token.split("~", -1);
        if (parts.length < 2) {
            throw new Refusal(TokenRefusal.MALFORMED_STRUCTURE, "an SD-JWT contains '~'");
        }
        Jws jwt = jws(parts[0]);
        String last = parts[parts.length - 1];
        Optional<Jws> keyBinding = last.isEmpty() ? Optional.empty() : Optional.of(jws(last));
        String issuance = token.substring(0, token.length() - last.length());

        Map<String, Disclosure> byDigest = new HashMap<>();
        List<Disclosure> disclosures = new ArrayList<>();
        for (int i = 1; i < parts.length - 1; i++) {
            Disclosure disclosure = disclosure(parts[i]);
            if (byDigest.put(disclosure.digest(), disclosure) != null) {
                throw new Refusal(TokenRefusal.DUPLICATE_DIGEST, "a disclosure is presented twice");
            }
            disclosures.add(disclosure);
        }

        JsonNode algorithm = jwt.payload().get("_sd_alg");
        if (algorithm != null && !SHA_256.equals(algorithm.textValue())) {
            throw new Refusal(TokenRefusal.UNSUPPORTED_HASH_ALGORITHM, "_sd_alg must be sha-256");
        }
        Reconstruction reconstruction = new Reconstruction(byDigest);
        ObjectNode claims = (ObjectNode) reconstruction.apply(jwt.payload());
        claims.remove("_sd_alg");
        if (reconstruction.used.size() != byDigest.size()) {
            throw new Refusal(TokenRefusal.UNREFERENCED_DISCLOSURE,
                    "a disclosure matches no digest in the token");
        }
        return new SdJwt(jwt, disclosures, keyBinding, issuance, claims);
    }

    private static Jws jws(String compact) {
        return switch (Jws.parse(compact)) {
            case TokenParse.Parsed<Jws> parsed -> parsed.value();
            case TokenParse.Refused<Jws> refused ->
                    throw new Refusal(refused.reason(), refused.detail());
        };
    }

    private static Disclosure disclosure(String encoded) {
        if (encoded.isEmpty()) {
            throw new Refusal(TokenRefusal.MALFORMED_STRUCTURE,
                    "empty disclosure; split chains with splitChain first");
        }
        JsonNode array;
        try {
            array = TokenJson.read(Base64Url.decode(encoded));
        } catch (IllegalArgumentException e) {
            throw new Refusal(TokenRefusal.MALFORMED_DISCLOSURE, "a disclosure is not "
                    + "base64url JSON");
        }
        boolean property = array.isArray() && array.size() == 3;
        boolean element = array.isArray() && array.size() == 2;
        if (!(property || element) || !array.get(0).isTextual()
                || (property && !array.get(1).isTextual())) {
            throw new Refusal(TokenRefusal.MALFORMED_DISCLOSURE,
                    "a disclosure is [salt, name, value] or [salt, value]");
        }
        Optional<String> name = property ? Optional.of(array.get(1).textValue()) : Optional.empty();
        if (name.isPresent() && (name.get().equals("_sd") || name.get().equals("..."))) {
            throw new Refusal(TokenRefusal.CLAIM_COLLISION, "a disclosure may not name "
                    + name.get());
        }
        return new Disclosure(encoded, array.get(0).textValue(), name,
                array.get(property ? 2 : 1));
    }

    /** RFC 9901 §7.1 step 3: replaces digests by their disclosures, depth first. */
    private static final class Reconstruction {

        private final Map<String, Disclosure> byDigest;

        private final Set<String> seen = new HashSet<>();

        private final Set<String> used = new HashSet<>();

        Reconstruction(Map<String, Disclosure> byDigest) {
            this.byDigest = byDigest;
        }

        JsonNode apply(JsonNode node) {
            if (node.isObject()) {
                return object(node);
            }
            if (node.isArray()) {
                return array(node);
            }
            return node;
        }

        private JsonNode object(JsonNode node) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                if (!member.getKey().equals("_sd")) {
                    out.set(member.getKey(), apply(member.getValue()));
                }
            }
            JsonNode digests = node.get("_sd");
            if (digests == null) {
                return out;
            }
            if (!digests.isArray()) {
                throw new Refusal(TokenRefusal.MALFORMED_DIGESTS, "_sd must be an array");
            }
            for (JsonNode digest : digests) {
                Optional<Disclosure> disclosure = claim(digest);
                if (disclosure.isEmpty()) {
                    continue;
                }
                if (disclosure.get().isArrayElement()) {
                    throw new Refusal(TokenRefusal.MISPLACED_DISCLOSURE,
                            "an array-element disclosure is referenced from _sd");
                }
                String name = disclosure.get().name().orElseThrow();
                if (out.has(name)) {
                    throw new Refusal(TokenRefusal.CLAIM_COLLISION, "claim " + name
                            + " is both disclosed and present");
                }
                out.set(name, apply(disclosure.get().value()));
            }
            return out;
        }

        private JsonNode array(JsonNode node) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                boolean reference = element.isObject() && element.size() == 1
                        && element.has("...");
                if (!reference) {
                    out.add(apply(element));
                    continue;
                }
                Optional<Disclosure> disclosure = claim(element.get("..."));
                if (disclosure.isEmpty()) {
                    continue;
                }
                if (!disclosure.get().isArrayElement()) {
                    throw new Refusal(TokenRefusal.MISPLACED_DISCLOSURE,
                            "a property disclosure is referenced from an array");
                }
                out.add(apply(disclosure.get().value()));
            }
            return out;
        }

        /** The disclosure for a digest; empty for a decoy. Each digest may occur once. */
        private Optional<Disclosure> claim(JsonNode digest) {
            if (!digest.isTextual()) {
                throw new Refusal(TokenRefusal.MALFORMED_DIGESTS, "a digest must be a string");
            }
            if (!seen.add(digest.textValue())) {
                throw new Refusal(TokenRefusal.DUPLICATE_DIGEST, "a digest occurs twice");
            }
            Disclosure disclosure = byDigest.get(digest.textValue());
            if (disclosure != null) {
                used.add(digest.textValue());
            }
            return Optional.ofNullable(disclosure);
        }
    }

    /** Internal control flow: turned into a {@link TokenParse.Refused} by {@link #parse}. */
    private static final class Refusal extends RuntimeException {

        private final TokenRefusal reason;

        Refusal(TokenRefusal reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
