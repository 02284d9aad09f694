package dev.purser.money;

import java.math.BigInteger;

/**
 * A quantity of one asset in its atomic units (for USDC, 10^-6 USD). Never negative.
 *
 * <p>An {@code Amount} does not know its asset: the envelope or requirement that holds it does,
 * and only amounts of the same asset may be combined. {@code long} holds 9.2 * 10^18 atomic units,
 * about 9.2 trillion USDC, far beyond any budget; values beyond it are refused on the way in
 * ({@link #parse}, {@link #fromUint256}) instead of being narrowed silently.
 *
 * @param units atomic units, {@code >= 0}
 */
public record Amount(long units) implements Comparable<Amount> {

    public static final Amount ZERO = new Amount(0);

    /** 2^256: a uint256 is below it. */
    private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** Long.MAX_VALUE has 19 digits; anything longer is too large without parsing it. */
    private static final int MAX_DIGITS = 19;

    public Amount {
        if (units < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + units);
        }
    }

    public static Amount of(long units) {
        return new Amount(units);
    }

    /**
     * Parses the wire form: a decimal string of atomic units such as {@code "1000000"}. Only ASCII
     * digits, no sign, no leading zero (except {@code "0"} itself), no spaces, no fraction, no
     * exponent: one value has one spelling, so a stored or signed string can be compared as is.
     */
    public static AmountParse parse(String text) {
        if (text == null || text.isEmpty()) {
            return refuse(AmountParse.Reason.EMPTY, text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                continue;
            }
            AmountParse.Reason reason = switch (c) {
                case '-', '+' -> AmountParse.Reason.SIGNED;
                case '.', ',' -> AmountParse.Reason.FRACTIONAL;
                case 'e', 'E' -> AmountParse.Reason.EXPONENT;
                default -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                        ? AmountParse.Reason.WHITESPACE
                        : AmountParse.Reason.NOT_A_DIGIT;
            };
            return refuse(reason, text);
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            return refuse(AmountParse.Reason.LEADING_ZERO, text);
        }
        if (text.length() > MAX_DIGITS) {
            return refuse(AmountParse.Reason.EXCEEDS_LONG, text);
        }
        try {
            return new AmountParse.Parsed(new Amount(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            // Only a 19-digit string above Long.MAX_VALUE gets here: every character is a digit.
            return refuse(AmountParse.Reason.EXCEEDS_LONG, text);
        }
    }

    /**
     * Narrows a uint256 taken from a signed struct (EIP-712, EIP-3009). A value that is a valid
     * uint256 but does not fit a {@code long} is a refusal, not an overflow: the signer did sign
     * it, Purser just cannot account for it.
     */
    public static AmountParse fromUint256(BigInteger value) {
        if (value == null) {
            return refuse(AmountParse.Reason.EMPTY, null);
        }
        if (value.signum() < 0) {
            return refuse(AmountParse.Reason.SIGNED, value.toString());
        }
        if (value.compareTo(UINT256_LIMIT) >= 0) {
            return refuse(AmountParse.Reason.EXCEEDS_UINT256, value.toString());
        }
        if (value.compareTo(LONG_MAX) > 0) {
            return refuse(AmountParse.Reason.EXCEEDS_LONG, value.toString());
        }
        return new AmountParse.Parsed(new Amount(value.longValueExact()));
    }

    private static AmountParse refuse(AmountParse.Reason reason, String input) {
        return new AmountParse.Refused(reason, input);
    }

    /** @throws ArithmeticException if the sum exceeds {@code Long.MAX_VALUE} */
    public Amount plus(Amount other) {
        return new Amount(Math.addExact(units, other.units));
    }

    /**
     * @throws ArithmeticException if {@code other} is larger: callers compare first, so reaching
     *     this is a bug, never a customer's refusal
     */
    public Amount minus(Amount other) {
        long difference = Math.subtractExact(units, other.units);
        if (difference < 0) {
            throw new ArithmeticException(
                    "amount would become negative: " + units + " - " + other.units);
        }
        return new Amount(difference);
    }

    public boolean isZero() {
        return units == 0;
    }

    public boolean isAtMost(Amount other) {
        return units <= other.units;
    }

    public BigInteger toUint256() {
        return BigInteger.valueOf(units);
    }

    /** The wire form, a decimal string of atomic units. */
    public String toDecimalString() {
        return Long.toString(units);
    }

    @Override
    public int compareTo(Amount other) {
        return Long.compare(units, other.units);
    }

    @Override
    public String toString() {
        return toDecimalString();
    }
}
