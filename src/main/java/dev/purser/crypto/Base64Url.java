package dev.purser.crypto;

import java.util.Base64;

/**
 * Unpadded base64url, as JOSE (RFC 7515 §2) and SD-JWT require. Package-private: callers see
 * tokens, not encodings.
 */
final class Base64Url {

    private Base64Url() {
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @throws IllegalArgumentException if {@code text} is not canonical unpadded base64url */
    static byte[] decode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!alphabet) {
                throw new IllegalArgumentException("not unpadded base64url");
            }
        }
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        // The last character may carry unused bits; one value must have one spelling, or a
        // digest over the text could differ for the same decoded token.
        if (!encode(bytes).equals(text)) {
            throw new IllegalArgumentException("not canonical base64url");
        }
        return bytes;
    }
}
