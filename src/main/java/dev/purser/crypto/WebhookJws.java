package dev.purser.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signature Purser sends with each webhook POST (push notifications and soft-limit notices):
 * a JWS with a detached, unencoded payload (RFC 7515 Appendix F and RFC 7797, {@code b64:false}),
 * ES256K (RFC 8812: ECDSA over secp256k1 with SHA-256, signature {@code r ‖ s}) by the server key.
 *
 * <p>Detached and unencoded, rather than a compact JWS carrying the body, because the body is
 * already on the wire: the receiver verifies the exact bytes it received, with no second copy to
 * compare, and the header stays small whatever the body's size. The protected header is, in this
 * order, {@code {"alg":"ES256K","b64":false,"crit":["b64"],"iat":<unix seconds>,"kid":"<server
 * address>"}}; {@code iat} is signed, so a receiver can refuse stale replays. The signing input is
 * {@code ASCII(BASE64URL(header)) ‖ "." ‖ body}; the header value is
 * {@code BASE64URL(header) + ".." + BASE64URL(r ‖ s)}. The verifying key is the card's
 * {@link #publicJwk} (and its {@code kid} is the address receipts name as their signer).
 */
public final class WebhookJws {

    public static final String ALGORITHM = "ES256K";

    private WebhookJws() {
    }

    /** The detached JWS of {@code body}, signed by {@code key} at {@code issuedAt} (unix s). */
    public static String sign(ServerKey key, byte[] body, long issuedAt) {
        String header = "{\"alg\":\"" + ALGORITHM + "\",\"b64\":false,\"crit\":[\"b64\"],"
                + "\"iat\":" + issuedAt + ",\"kid\":\"" + key.address().checksummed() + "\"}";
        String encodedHeader = Base64Url.encode(header.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream input = new ByteArrayOutputStream(encodedHeader.length() + 1
                + body.length);
        input.writeBytes(encodedHeader.getBytes(StandardCharsets.US_ASCII));
        input.write('.');
        input.writeBytes(body);
        Signature signature = key.sign(Sha256.hash(input.toByteArray()));
        // JWS carries r ‖ s only (RFC 7518 §3.4); v is for Ethereum recovery, not JOSE.
        byte[] rs = Arrays.copyOf(signature.toBytes(), 64);
        return encodedHeader + ".." + Base64Url.encode(rs);
    }

    /**
     * {@code key}'s public JWK (RFC 7517, RFC 8812 §3.1): {@code kty EC}, {@code crv secp256k1},
     * {@code x}, {@code y}, {@code alg ES256K}, {@code use sig}, {@code kid} the key's address.
     */
    public static Map<String, String> publicJwk(ServerKey key) {
        byte[] xy = key.publicKey();
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "secp256k1");
        jwk.put("x", Base64Url.encode(Arrays.copyOfRange(xy, 0, 32)));
        jwk.put("y", Base64Url.encode(Arrays.copyOfRange(xy, 32, 64)));
        jwk.put("alg", ALGORITHM);
        jwk.put("use", "sig");
        jwk.put("kid", key.address().checksummed());
        return jwk;
    }
}
