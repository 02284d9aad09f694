package dev.purser.boot;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * The embedded PostgreSQL started beside Quarkus's own boot, and the config source that hands its
 * {@code purser.db.*} to the datasources. {@link PurserMain} starts the database in a thread of its
 * own and Quarkus at once: PostgreSQL's start (and a fresh directory's initdb) then overlaps
 * Quarkus's static init, instead of preceding it. Quarkus reads these keys when it builds its
 * runtime config, at the start of runtime init and before any connection is made: that read waits
 * here until the database is up (or throws why it could not start). Not {@code @StaticInitSafe},
 * so static init never asks, and never waits.
 */
public final class EmbeddedDatabaseSource implements ConfigSource {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseSource.class);
    static final String URL = "purser.db.url";
    static final String USER = "purser.db.user";
    static final String PASSWORD = "purser.db.password";

    /** The start under way or done in this JVM, null when PurserMain started none. */
    private static volatile CompletableFuture<EmbeddedDatabase> starting;

    /** Starts PostgreSQL on {@code dataDir} in a new thread; {@link #await()} has the result. */
    static void startInBackground(Path dataDir) {
        CompletableFuture<EmbeddedDatabase> f = new CompletableFuture<>();
        starting = f;
        Thread.ofPlatform().name("embedded-postgres-start").start(() -> {
            try {
                EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
                db.supervise();
                f.complete(db);
            } catch (Throwable e) {
                // Logged whole here, once: Quarkus reports the config read's failure per key.
                LOG.errorf(e, "The embedded PostgreSQL did not start in %s", dataDir);
                f.completeExceptionally(e);
            }
        });
    }

    /** The started database, null when none was started; waits for a start under way. */
    static EmbeddedDatabase await() {
        CompletableFuture<EmbeddedDatabase> f = starting;
        if (f == null) {
            return null;
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the embedded PostgreSQL started", e);
        } catch (ExecutionException e) {
            StringBuilder why = new StringBuilder("the embedded PostgreSQL did not start");
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                why.append(": ").append(c.getMessage());
            }
            throw new IllegalStateException(why.toString(), e.getCause());
        }
    }

    /** As {@link #await()}, but null when the start failed (stop paths: nothing to stop then). */
    static EmbeddedDatabase startedOrNull() {
        try {
            return await();
        } catch (RuntimeException failed) {
            return null;
        }
    }

    @Override
    public Set<String> getPropertyNames() {
        return starting == null ? Set.of() : Set.of(URL, USER, PASSWORD);
    }

    @Override
    public String getValue(String name) {
        if (starting == null || !(URL.equals(name) || USER.equals(name) || PASSWORD.equals(name))) {
            return null;
        }
        EmbeddedDatabase db = await();
        return switch (name) {
            case URL -> db.jdbcUrl();
            case USER -> db.user();
            default -> "";
        };
    }

    @Override
    public String getName() {
        return "purser embedded PostgreSQL";
    }

    /** Above system properties (400): when the embedded database runs, it is the database. */
    @Override
    public int getOrdinal() {
        return 450;
    }
}
