package dev.purser.market;

import java.math.BigInteger;

/**
 * Purser's fee on a provider's price: basis points of it (rounded up to a whole atomic unit) or a
 * fixed amount of atomic units. Exact arithmetic: an overflow is an error, never a wrap.
 */
public record Fee(Integer bps, Long amount) {

    public static final Fee NONE = new Fee(null, null);
    /** 10000 bps = 100 %; more is allowed (a broker may charge more than it pays). */
    public static final int MAX_BPS = 1_000_000;
    private static final long WHOLE = 10_000;

    public Fee {
        if (bps != null && amount != null) {
            throw new IllegalArgumentException("a fee is bps or an amount, not both");
        }
        if (bps != null && (bps < 0 || bps > MAX_BPS)) {
            throw new IllegalArgumentException("fee bps must be 0.." + MAX_BPS);
        }
        if (amount != null && amount < 0) {
            throw new IllegalArgumentException("a fee amount is not negative");
        }
    }

    public static Fee bps(int bps) {
        return new Fee(bps, null);
    }

    public static Fee amount(long amount) {
        return new Fee(null, amount);
    }

    /**
     * The fee on {@code providerPrice} atomic units.
     *
     * @throws ArithmeticException when the fee does not fit a long
     */
    public long on(long providerPrice) {
        if (bps != null) {
            long high = Math.multiplyHigh(providerPrice, (long) bps);
            long scaled = providerPrice * (long) bps;
            if (high == 0 && scaled >= 0 && scaled <= Long.MAX_VALUE - (WHOLE - 1)) {
                return (scaled + WHOLE - 1) / WHOLE; // round up
            }
            // a product past a long can still give a fee that fits: work it out exactly
            return BigInteger.valueOf(providerPrice).multiply(BigInteger.valueOf(bps))
                    .add(BigInteger.valueOf(WHOLE - 1)).divide(BigInteger.valueOf(WHOLE))
                    .longValueExact();
        }
        return amount != null ? amount : 0;
    }
}
