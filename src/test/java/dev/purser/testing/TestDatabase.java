package dev.purser.testing;

import dev.purser.boot.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * One real PostgreSQL for the whole test JVM, started before any test (and so before any
 * Quarkus test application reads {@code purser.db.url}). Tests isolate by their own ids.
 */
public class TestDatabase implements LauncherSessionListener {

    private static EmbeddedDatabase db;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        start();
    }

    private static synchronized void start() {
        if (db != null || System.getProperty("purser.db.url") != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("purser-test-db");
            db = EmbeddedDatabase.start(dir);
            // Fallback: a fork that exits without closing its launcher session (seen with
            // failsafe) must not leave its PostgreSQL running.
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stop, "test-db-stop"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("purser.db.url", db.jdbcUrl());
        System.setProperty("purser.db.user", db.user());
        System.setProperty("purser.db.password", "");
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        stop();
    }

    private static synchronized void stop() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
