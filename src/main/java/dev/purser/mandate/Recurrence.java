package dev.purser.mandate;

/**
 * The period after which a periodic envelope's budget renews. A mandate without one has one
 * budget for its whole lifetime. Months are calendar months in UTC, counted from
 * {@code notBefore}; the ledger owns the renewal, this only names the period.
 */
public enum Recurrence {
    DAILY,
    WEEKLY,
    MONTHLY;

    /** The wire form, lower case, as the envelope JSON shows it. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
