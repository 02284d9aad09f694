package dev.purser.ledger;

import dev.purser.db.RetriedTransaction;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A ledger transaction: a {@link RetriedTransaction} (retried on deadlock or
 * serialization failure) whose failure, never a refusal, becomes an unchecked
 * {@link LedgerStoreException} naming what the ledger was doing.
 */
final class LedgerTransaction {

    interface Body<T> extends RetriedTransaction.Body<T> {
    }

    private LedgerTransaction() {
    }

    static <T> T run(DataSource db, String what, Body<T> body) {
        try {
            return RetriedTransaction.run(db, body);
        } catch (SQLException e) {
            throw new LedgerStoreException(what, e);
        }
    }

    /** One statement as its own transaction ({@link RetriedTransaction#statement}). */
    static <T> T statement(DataSource db, String what, Body<T> body) {
        try {
            return RetriedTransaction.statement(db, body);
        } catch (SQLException e) {
            throw new LedgerStoreException(what, e);
        }
    }

    /** The database failed in a way that is not a refusal: a bug or an outage, never a value. */
    static final class LedgerStoreException extends RuntimeException {
        LedgerStoreException(String what, SQLException cause) {
            super("ledger: " + what + " failed (SQLState "
                    + (cause == null ? "?" : cause.getSQLState()) + ")", cause);
        }
    }
}
