package dev.purser.ledger;

import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The ledger's transactions: {@link dev.purser.db.Tx} (one transaction, retried on deadlock or
 * serialization failure), with a failure that is not a refusal reported as a
 * {@link LedgerStoreException}.
 */
final class Tx {

    interface Body<T> extends dev.purser.db.Tx.Body<T> {
    }

    private Tx() {
    }

    static <T> T run(DataSource db, String what, Body<T> body) {
        try {
            return dev.purser.db.Tx.run(db, body);
        } catch (SQLException e) {
            throw new LedgerStoreException(what, e);
        }
    }

    /** One statement as its own transaction ({@link dev.purser.db.Tx#statement}). */
    static <T> T statement(DataSource db, String what, Body<T> body) {
        try {
            return dev.purser.db.Tx.statement(db, body);
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
