package dev.purser.boot;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSource.FlushMode;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * After the embedded PostgreSQL was restarted (PostgresSupervisor) every pooled connection is
 * dead; each would fail one request before the pool noticed. Dropping them at once lets the
 * first request after the restart succeed.
 */
@ApplicationScoped
class PoolRecovery {

    private static final Logger LOG = Logger.getLogger(PoolRecovery.class);

    private final AgroalDataSource db;
    private final AgroalDataSource orm;
    private Runnable registration;

    PoolRecovery(AgroalDataSource db, @DataSource("orm") AgroalDataSource orm) {
        this.db = db;
        this.orm = orm;
    }

    void register(@Observes StartupEvent ev) {
        registration = EmbeddedDatabase.afterRestart(this::flush);
    }

    void unregister(@Observes ShutdownEvent ev) {
        if (registration != null) {
            registration.run(); // a test JVM starts applications one after another
        }
    }

    private void flush() {
        db.flush(FlushMode.INVALID);
        orm.flush(FlushMode.INVALID);
        LOG.info("dropped the pooled connections the database restart broke");
    }
}
