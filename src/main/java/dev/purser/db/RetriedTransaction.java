package dev.purser.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One explicit JDBC transaction, retried when PostgreSQL aborts it as a deadlock victim or a
 * serialization failure (nothing of it was committed, so running it again is safe). The body
 * decides by its return value; it rolls back by calling {@link Connection#rollback} itself or by
 * throwing. Callers wrap what is still an {@link SQLException} in their feature's own error.
 */
public final class RetriedTransaction {

    private static final int ATTEMPTS = 5;

    /** The work of one transaction, on its connection. */
    @FunctionalInterface
    public interface Body<T> {
        T run(Connection c) throws SQLException;
    }

    private RetriedTransaction() {
    }

    public static <T> T run(DataSource db, Body<T> body) throws SQLException {
        return retried(db, c -> {
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
        });
    }

    /**
     * One statement that is its own transaction (autocommit): one round trip where an explicit
     * transaction needs a second for its COMMIT. Retried like {@link #run}; the body must run
     * exactly one statement, so a failure left nothing behind.
     */
    public static <T> T statement(DataSource db, Body<T> body) throws SQLException {
        return retried(db, body);
    }

    /** {@code body} on a fresh connection, again while PostgreSQL aborts it as retryable. */
    private static <T> T retried(DataSource db, Body<T> body) throws SQLException {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = db.getConnection()) {
                return body.run(c);
            } catch (SQLException e) {
                last = e;
                if (!retryable(e)) {
                    break;
                }
            }
        }
        throw last;
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }
}
