package dev.purser.boot;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Starts the embedded PostgreSQL when no external database is configured (DESIGN §7), and Quarkus
 * beside it: the database must be up before Quarkus reads the datasource URL
 * ({@link EmbeddedDatabaseSource} waits for it there), hence a main of our own.
 */
@QuarkusMain
public class PurserMain implements QuarkusApplication {

    /** How long a signal's stop of the embedded database waits for the application to stop. */
    private static final long SHUTDOWN_WAIT_SECONDS = 30;

    public static void main(String... args) {
        boolean embedded = DatabaseChoice.fromEnvironment().ifEmbedded(dataDir -> {
            // Started beside Quarkus's boot; the datasources' config waits for it
            // (EmbeddedDatabaseSource), so no connection is tried before it is up.
            EmbeddedDatabaseSource.startInBackground(dataDir);
            // Normally stopped below once Quarkus has stopped. On a signal this hook runs beside
            // Quarkus's own, so it waits for the application to finish its shutdown first: work
            // still draining (a payment being captured) must not lose its database mid-way.
            // (Quarkus's main thread never gets past a signal's exit, so this watches the
            // application itself, which Quarkus clears once it has stopped.)
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_WAIT_SECONDS);
                while (Application.currentApplication() != null && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                stopEmbedded();
            }, "embedded-postgres-stop"));
        });
        try {
            Quarkus.run(PurserMain.class, args);
        } finally {
            if (embedded) {
                stopEmbedded();
            }
        }
    }

    /** Stops the embedded database once its start is over (a start still running is awaited). */
    private static void stopEmbedded() {
        EmbeddedDatabase db = EmbeddedDatabaseSource.startedOrNull();
        if (db != null) {
            db.close();
        }
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }

    /** Whether to start the embedded database, read from env and system properties. */
    public record DatabaseChoice(String externalUrl, Path dataDir) {

        static DatabaseChoice fromEnvironment() {
            String url = firstSet(System.getProperty("purser.db.url"), System.getenv("PURSER_DB_URL"));
            String dir = firstSet(System.getProperty("purser.data-dir"), System.getenv("PURSER_DATA_DIR"));
            return new DatabaseChoice(url, Path.of(dir == null ? "data" : dir));
        }

        /** Runs {@code start} when no external database is configured; says whether it ran. */
        boolean ifEmbedded(java.util.function.Consumer<Path> start) {
            if (externalUrl == null) {
                start.accept(dataDir);
            }
            return externalUrl == null;
        }

        private static String firstSet(String a, String b) {
            if (a != null && !a.isBlank()) {
                return a;
            }
            return b == null || b.isBlank() ? null : b;
        }
    }
}
