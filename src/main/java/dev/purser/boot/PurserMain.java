package dev.purser.boot;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Starts the embedded PostgreSQL when no external database is configured (DESIGN §7), then Quarkus.
 * The database must be up before Quarkus reads the datasource URL, hence a main of our own.
 */
@QuarkusMain
public class PurserMain implements QuarkusApplication {

    /** How long a signal's stop of the embedded database waits for the application to stop. */
    private static final long SHUTDOWN_WAIT_SECONDS = 30;

    public static void main(String... args) {
        EmbeddedDatabase[] started = new EmbeddedDatabase[1];
        DatabaseChoice.fromEnvironment().ifEmbedded(dataDir -> {
            EmbeddedDatabase db = EmbeddedDatabase.start(dataDir);
            db.supervise();
            System.setProperty("purser.db.url", db.jdbcUrl());
            System.setProperty("purser.db.user", db.user());
            System.setProperty("purser.db.password", "");
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
                db.close();
            }, "embedded-postgres-stop"));
            started[0] = db;
        });
        try {
            Quarkus.run(PurserMain.class, args);
        } finally {
            if (started[0] != null) {
                started[0].close();
            }
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

        void ifEmbedded(java.util.function.Consumer<Path> start) {
            if (externalUrl == null) {
                start.accept(dataDir);
            }
        }

        private static String firstSet(String a, String b) {
            if (a != null && !a.isBlank()) {
                return a;
            }
            return b == null || b.isBlank() ? null : b;
        }
    }
}
