package dev.purser.market;

/** A skill's price: atomic units of an asset, named by its symbol (resolved per network). */
public record Price(long amount, String asset) {

    public Price {
        if (amount < 0) {
            throw new IllegalArgumentException("a price is not negative");
        }
    }
}
