package dev.purser.crypto;

/**
 * {@code 0x}-prefixed hexadecimal, the form Ethereum tooling uses for bytes, hashes, addresses and
 * signatures. Decoding is strict: the prefix is required, digits may be in either case, the digit
 * count must be even; anything else is refused rather than guessed at (a dropped nibble in a
 * signature or nonce must not be padded into a different value).
 */
public final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** Lower-case {@code 0x} hex of {@code bytes}; {@code "0x"} for none. */
    public static String encode(byte[] bytes) {
        char[] out = new char[2 + bytes.length * 2];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < bytes.length; i++) {
            out[2 + 2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
            out[3 + 2 * i] = DIGITS[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * @throws IllegalArgumentException if {@code text} is not {@code 0x} followed by an even number
     *     of hex digits
     */
    public static byte[] decode(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != '0' || text.charAt(1) != 'x') {
            throw new IllegalArgumentException("hex must start with 0x");
        }
        int digits = text.length() - 2;
        if (digits % 2 != 0) {
            throw new IllegalArgumentException("hex must have an even number of digits");
        }
        byte[] out = new byte[digits / 2];
        for (int i = 0; i < out.length; i++) {
            int high = digit(text.charAt(2 + 2 * i));
            int low = digit(text.charAt(3 + 2 * i));
            out[i] = (byte) ((high << 4) | low);
        }
        return out;
    }

    /**
     * Decodes exactly {@code length} bytes.
     *
     * @throws IllegalArgumentException if the text is not hex or has another length
     */
    public static byte[] decode(String text, int length) {
        byte[] bytes = decode(text);
        if (bytes.length != length) {
            throw new IllegalArgumentException(
                    "expected " + length + " bytes of hex, got " + bytes.length);
        }
        return bytes;
    }

    /** Whether {@code text} is {@code 0x} hex of exactly {@code length} bytes. */
    public static boolean isHex(String text, int length) {
        if (text == null || text.length() != 2 + 2 * length || !text.startsWith("0x")) {
            return false;
        }
        for (int i = 2; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                    || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }

    private static int digit(char c) {
        // Character.digit would also accept non-ASCII digits such as U+FF10; hex is ASCII only.
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("not a hex digit: '" + c + "'");
    }
}
