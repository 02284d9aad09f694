package dev.purser.db;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a failure means PostgreSQL could not be reached or did not answer in time (killed,
 * hung, restarting, overloaded) rather than a bug: such a request is answered 503 with
 * {@code Retry-After} (REST) or a JSON-RPC error carrying the same hint. The caller retries; a
 * retry with the same idempotency key never charges twice, even when the lost answer was a commit.
 */
public final class DatabaseOutage {

    /** What {@code Retry-After} says: about the time the embedded database takes to restart. */
    public static final int RETRY_AFTER_SECONDS = 3;

    /** The code of the REST error body and, upper-cased, the JSON-RPC error's reason. */
    public static final String CODE = "database_unavailable";

    public static final String MESSAGE = "the database is unavailable; retry in "
            + RETRY_AFTER_SECONDS + " s";

    /**
     * SQLStates of an outage: the whole class 08 (connection exception), the server shutting down
     * or restarting (57P01..57P03), a statement cancelled by statement_timeout (57014), and too many
     * connections (53300).
     */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "57014", "53300");

    /** Deep enough for Hibernate's and the pool's wrappers; a cycle cannot loop. */
    private static final int MAX_DEPTH = 16;

    private DatabaseOutage() {
    }

    public static boolean is(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SocketTimeoutException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException e && (outageState(e.getSQLState()) || poolTimeout(e))) {
                return true;
            }
        }
        return false;
    }

    private static boolean outageState(String state) {
        return state != null && (state.startsWith("08") || STATES.contains(state));
    }

    /** Agroal's acquisition timeout is a plain SQLException with no SQLState. */
    private static boolean poolTimeout(SQLException e) {
        String message = e.getMessage();
        return e.getSQLState() == null && message != null
                && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
    }
}
