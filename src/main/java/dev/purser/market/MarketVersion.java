package dev.purser.market;

import io.quarkus.hibernate.orm.panache.Panache;
import dev.purser.db.RetriedTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The version of the providers and offers, shared by every instance on one database
 * ({@code market_version}): each change bumps it in its own transaction, and readers compare it
 * with the version their copy was built from. A read is trusted for
 * {@code PURSER_MARKET_VERSION_CHECK}, so a change made on any instance shows everywhere within
 * that time, at the cost of one tiny query per period.
 */
@ApplicationScoped
class MarketVersion {

    private final long checkNanos;
    private final DataSource db;
    private volatile long version = -1;
    private volatile long checkedAt;
    private volatile long stale;
    /** One reader checks the database when the period ends; the others keep the last version. */
    private final AtomicBoolean checking = new AtomicBoolean();

    MarketVersion(MarketConfig config, DataSource db) {
        this.db = db;
        this.checkNanos = config.market().versionCheck().toNanos();
    }

    /** Bumps the version; call inside the transaction that changes providers or offers. */
    void bump() {
        Panache.getEntityManager()
                .createNativeQuery("update market_version set version = version + 1 where id = 1")
                .executeUpdate();
    }

    /** After a commit of this instance's change: the next read goes to the database. */
    void invalidate() {
        synchronized (this) {
            stale++;
            checkedAt = 0;
            version = -1;
        }
    }

    /**
     * Plain JDBC on the default (non-JTA) pool, one autocommit statement: through Hibernate and a
     * new JTA transaction it cost milliseconds of cold, interpreted code each period.
     */
    private long read() {
        try {
            return RetriedTransaction.statement(db, c -> {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery(
                                "select version from market_version where id = 1")) {
                    if (!rs.next()) {
                        throw new IllegalStateException("market_version has no row 1");
                    }
                    return rs.getLong(1);
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("the market version could not be read", e);
        }
    }

    /** The current version, read again when the last read is older than the check period. */
    long current() {
        long now = System.nanoTime();
        long v = version;
        if (v >= 0 && now - checkedAt <= checkNanos) {
            return v;
        }
        // Under load every request of the moment would query at once when the period ends: one
        // does, the others use the version read at most a period ago. An unknown one is read.
        boolean mine = checking.compareAndSet(false, true);
        if (!mine && v >= 0) {
            return v;
        }
        try {
            long seen = stale;
            v = read();
            synchronized (this) {
                if (seen == stale) { // a read that raced a local change must not outlive it
                    version = v;
                    checkedAt = now;
                }
            }
            return v;
        } finally {
            if (mine) {
                checking.set(false);
            }
        }
    }
}
