package dev.purser.crypto;

import java.util.Locale;
import java.util.Optional;

/**
 * A 20-byte Ethereum account or contract address.
 *
 * <p>Input is accepted all lower-case, all upper-case, or mixed-case with a correct EIP-55
 * checksum; mixed case with a wrong checksum is refused. DESIGN §8 and x402.md ask for "any case"
 * because peers send un-checksummed addresses (x402's own examples write Base USDC in lower case),
 * and those carry no checksum claim. A mixed-case string does claim one (EIP-55), and a mismatch
 * means a mistyped or altered address; ethers ({@code getAddress}) and viem (strict
 * {@code isAddress}) refuse it too, so no client Purser serves produces one. Output is always
 * EIP-55 ({@link #toString}); equality ignores the case the address arrived in.
 *
 * @param lowerHex {@code 0x} + 40 lower-case hex digits
 */
public record Address(String lowerHex) {

    public static final Address ZERO = new Address("0x" + "0".repeat(40));

    public Address {
        if (lowerHex == null || !Hex.isHex(lowerHex, 20)
                || !lowerHex.equals(lowerHex.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("expected 0x + 40 lower-case hex digits");
        }
    }

    /** The address in {@code text}, or empty if it is malformed or fails its EIP-55 checksum. */
    public static Optional<Address> parse(String text) {
        return problem(text).isEmpty() ? Optional.of(fromValid(text)) : Optional.empty();
    }

    /**
     * For addresses that must be valid (constants, configuration, already-validated input).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static Address of(String text) {
        Optional<String> problem = problem(text);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return fromValid(text);
    }

    /** The last 20 bytes of a 32-byte word, as {@code ecrecover} and ABI encoding produce. */
    public static Address fromBytes(byte[] twentyBytes) {
        if (twentyBytes.length != 20) {
            throw new IllegalArgumentException("an address is 20 bytes");
        }
        return new Address(Hex.encode(twentyBytes));
    }

    private static Optional<String> problem(String text) {
        if (!Hex.isHex(text, 20)) {
            return Optional.of("address must be 0x + 40 hex digits");
        }
        String digits = text.substring(2);
        boolean singleCase = digits.equals(digits.toLowerCase(Locale.ROOT))
                || digits.equals(digits.toUpperCase(Locale.ROOT));
        if (!singleCase && !checksummed(digits.toLowerCase(Locale.ROOT)).equals(text)) {
            return Optional.of("address has mixed case but a wrong EIP-55 checksum");
        }
        return Optional.empty();
    }

    private static Address fromValid(String text) {
        return new Address("0x" + text.substring(2).toLowerCase(Locale.ROOT));
    }

    /** EIP-55: upper-case each letter whose nibble in keccak256(lower-case hex text) is >= 8. */
    private static String checksummed(String lowerDigits) {
        byte[] hash = Keccak256.hash(lowerDigits).bytes();
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < lowerDigits.length(); i++) {
            char c = lowerDigits.charAt(i);
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    /** The 20 bytes. */
    public byte[] bytes() {
        return Hex.decode(lowerHex);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    /** The EIP-55 checksummed form. */
    public String checksummed() {
        return checksummed(lowerHex.substring(2));
    }

    @Override
    public String toString() {
        return checksummed();
    }
}
