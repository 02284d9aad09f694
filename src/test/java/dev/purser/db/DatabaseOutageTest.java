package dev.purser.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures are an unavailable database (503, retry) and which are bugs or refusals. */
class DatabaseOutageTest {

    @Test
    void connectionFailuresShutdownsTimeoutsAndThePoolAreOutages() {
        for (String state : new String[] {"08001", "08003", "08006", "57P01", "57P02", "57P03",
                "57014", "53300"}) {
            assertTrue(DatabaseOutage.is(new SQLException("x", state)), state);
        }
        assertTrue(DatabaseOutage.is(new SQLException("Sorry, acquisition timeout!")));
        assertTrue(DatabaseOutage.is(new SQLTransientConnectionException("gone")));
        assertTrue(DatabaseOutage.is(new SQLException("I/O", null, new SocketTimeoutException())));
    }

    @Test
    void theOutageIsFoundUnderWrappers() {
        RuntimeException wrapped = new IllegalStateException("reading envelope",
                new RuntimeException("hibernate", new SQLException("refused", "08001")));
        assertTrue(DatabaseOutage.is(wrapped));
    }

    @Test
    void constraintViolationsDeadlocksAndBugsAreNot() {
        assertFalse(DatabaseOutage.is(new SQLException("duplicate key", "23505")));
        assertFalse(DatabaseOutage.is(new SQLException("deadlock", "40P01")));
        assertFalse(DatabaseOutage.is(new SQLException("no state")));
        assertFalse(DatabaseOutage.is(new IllegalStateException("a bug")));
        assertFalse(DatabaseOutage.is(null));
        RuntimeException cycle = new RuntimeException("cycle");
        RuntimeException other = new RuntimeException("other", cycle);
        cycle.initCause(other);
        assertFalse(DatabaseOutage.is(cycle));
    }
}
