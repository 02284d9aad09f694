package dev.purser.crypto;

import java.math.BigInteger;

/**
 * A canonical secp256k1 signature as Ethereum and USDC accept it: {@code 1 <= r < n},
 * {@code 1 <= s <= n/2} (low-s), {@code v} 27 or 28. Obtain one from {@link Secp256k1#recover}
 * (which refuses every other form) or by signing; the constructor refuses non-canonical values,
 * so holding a {@code Signature} means holding the single accepted encoding.
 *
 * @param r the x coordinate of the nonce point, reduced mod n
 * @param s the low-s proof scalar
 * @param v the recovery id plus 27
 */
public record Signature(BigInteger r, BigInteger s, int v) {

    public Signature {
        if (r == null || r.signum() <= 0 || r.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("r must be in [1, n)");
        }
        if (s == null || s.signum() <= 0 || s.compareTo(Secp256k1.HALF_N) > 0) {
            throw new IllegalArgumentException("s must be in [1, n/2]");
        }
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("v must be 27 or 28");
        }
    }

    /** {@code r(32) ‖ s(32) ‖ v(1)}, the 65-byte form x402 and mandates carry. */
    public byte[] toBytes() {
        byte[] out = new byte[65];
        writeWord(r, out, 0);
        writeWord(s, out, 32);
        out[64] = (byte) v;
        return out;
    }

    /** Lower-case {@code 0x} hex of {@link #toBytes}. */
    public String hex() {
        return Hex.encode(toBytes());
    }

    @Override
    public String toString() {
        return hex();
    }

    private static void writeWord(BigInteger value, byte[] out, int offset) {
        byte[] magnitude = value.toByteArray();
        // toByteArray may add a leading 0x00 sign byte; a value < n never needs more than 32.
        int length = Math.min(magnitude.length, 32);
        System.arraycopy(magnitude, magnitude.length - length, out, offset + 32 - length, length);
    }
}
