package dev.purser.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One explicit JDBC transaction, retried when PostgreSQL aborts it as a deadlock victim or a
 * serialization failure (nothing of it was committed, so running it again is safe). The body
 * decides by its return value; it rolls back by calling {@link Connection#rollback} itself
 * (refusals) or by throwing (bugs).
 */
final class Tx {

    private static final int ATTEMPTS = 5;

    interface Body<T> {
        T run(Connection c) throws SQLException;
    }

    private Tx() {
    }

    static <T> T run(DataSource db, String what, Body<T> body) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = body.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                last = e;
                if (!retryable(e)) {
                    break;
                }
            }
        }
        throw new LedgerStoreException(what, last);
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    /** The database failed in a way that is not a refusal: a bug or an outage, never a value. */
    static final class LedgerStoreException extends RuntimeException {
        LedgerStoreException(String what, SQLException cause) {
            super("ledger: " + what + " failed (SQLState "
                    + (cause == null ? "?" : cause.getSQLState()) + ")", cause);
        }
    }
}
