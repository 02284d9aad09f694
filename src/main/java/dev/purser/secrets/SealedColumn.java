package dev.purser.secrets;

import java.util.List;

/**
 * A text column whose values are sealed, and the primary key columns that name its row. The
 * names are the owning package's constants, never input: they are written into SQL as they are.
 *
 * @param key the row's primary key columns, in the order their values are given to seal and open
 */
public record SealedColumn(String table, String column, List<String> key) {

    public SealedColumn {
        key = List.copyOf(key);
    }

    public SealedColumn(String table, String column, String... key) {
        this(table, column, List.of(key));
    }

    /** What a value is bound to: this column of the row with these key values. */
    String associatedData(List<String> keyValues) {
        if (keyValues.size() != key.size()) {
            throw new IllegalArgumentException(table + "." + column + " is keyed by " + key);
        }
        return table + "." + column + "\u0000" + String.join("\u0000", keyValues);
    }
}
