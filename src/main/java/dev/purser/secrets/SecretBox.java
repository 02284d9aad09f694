package dev.purser.secrets;

import dev.purser.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over text with associated data. A sealed value reads
 * {@code enc:v1:<key id>:<base64url(12-byte nonce | ciphertext | 16-byte tag)>}: the version says
 * how to open it, the key id which key sealed it, so a later version can hold several keys and
 * rotate. The random source is an instance field, made at run time (a native image must not
 * freeze one built at build time).
 */
final class SecretBox {

    static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    static final int KEY_BYTES = 32;

    /** A sealed value that does not open: another key, another row, or altered. */
    static final class Unopenable extends RuntimeException {
        Unopenable(String message) {
            super(message);
        }
    }

    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    SecretBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the secrets key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        // Names the key without revealing it: a hash of it under a fixed label, 4 bytes.
        byte[] label = "purser secrets key id".getBytes(StandardCharsets.US_ASCII);
        byte[] both = ByteBuffer.allocate(label.length + key.length).put(label).put(key).array();
        this.keyId = HexFormat.of().formatHex(Sha256.hash(both).bytes(), 0, 4);
    }

    String keyId() {
        return keyId;
    }

    static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    String seal(String plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData);
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed)
                    .array();
            return PREFIX + keyId + ":"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** @throws Unopenable naming why, never the value */
    String open(String stored, String associatedData) {
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new Unopenable("a sealed value without a key id");
        }
        String id = rest.substring(0, colon);
        if (!id.equals(keyId)) {
            throw new Unopenable("sealed by key " + id + ", but this instance's key is " + keyId
                    + " (every instance on one database needs the same PURSER_SECRETS_KEY)");
        }
        byte[] all;
        try {
            all = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new Unopenable("a sealed value that is not base64url");
        }
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new Unopenable("a sealed value too short to hold a nonce and a tag");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(all, NONCE_BYTES),
                    associatedData);
            byte[] plain = c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new Unopenable("a sealed value that does not open here (altered, or moved from"
                    + " another row)");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String associatedData)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
