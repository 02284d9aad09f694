package dev.purser.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL of a first run: real binaries (zonky), files kept in {@code <dataDir>/pg} so a
 * second start finds the same data. Started before Quarkus so the datasource sees its URL.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final EmbeddedPostgres postgres;
    private final Path pgDir;
    private final Path log;
    private boolean closed;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path pgDir, Path log) {
        this.postgres = postgres;
        this.pgDir = pgDir;
        this.log = log;
    }

    /** Starts PostgreSQL on a free loopback port with its cluster in {@code dataDir/pg}. */
    public static EmbeddedDatabase start(Path dataDir) {
        Path pgDir = dataDir.toAbsolutePath().resolve("pg");
        Path log = dataDir.toAbsolutePath().resolve("postgresql.log");
        try {
            Files.createDirectories(dataDir);
            ClusterTemplate.fillIfFresh(pgDir); // a fresh directory: a copy, not an initdb
            Files.createDirectories(pgDir);
            stopOrphan(pgDir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(new PgBinaries())
                    .setDataDirectory(pgDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Purser's own load is many short transactions; the defaults suit a laptop.
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    // zonky defaults to synchronous_commit=off: a commit acknowledged before it is
                    // on disk could vanish in an OS crash, and with it a capture. Not for money.
                    .setServerConfig("synchronous_commit", "on")
                    // PostgreSQL's own log goes to a file beside its data, not our console.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            LOG.infof("Embedded PostgreSQL started on port %d with data in %s", pg.getPort(), pgDir);
            return new EmbeddedDatabase(pg, pgDir, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgDir, e);
        }
    }

    /**
     * From now on, restarts PostgreSQL on the same data directory and port whenever its postmaster
     * dies, until {@link #close()} ({@link PostgresSupervisor}).
     */
    public void supervise() {
        new PostgresSupervisor(pgDir, log, this, () -> closed).start();
    }

    /**
     * Runs {@code listener} after each restart of a supervised embedded PostgreSQL; the answer
     * takes it off again.
     */
    public static Runnable afterRestart(Runnable listener) {
        return PostgresSupervisor.afterRestart(listener);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /**
     * A process killed with SIGKILL leaves its postmaster running and holding the data directory;
     * stop that orphan so a restart on the same directory works (crash tests rely on it).
     */
    private static void stopOrphan(Path pgDir) throws IOException {
        Path pidFile = pgDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !isPostgresOf(handle.get(), lines.get(1).trim(), pgDir)) {
            return;
        }
        LOG.warnf("Stopping an orphaned PostgreSQL (pid %d) left on %s", pid, pgDir);
        handle.get().destroy(); // SIGTERM: PostgreSQL's "smart" shutdown; then wait
        try {
            handle.get().onExit().get(STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.get().destroyForcibly();
        }
    }

    private static boolean isPostgresOf(ProcessHandle p, String dataDirInPidFile, Path pgDir) {
        boolean isPostgres = p.info().command().map(c -> c.contains("postgres")).orElse(false);
        // Inside zonky's user namespace the recorded path may differ only by symlinks.
        return isPostgres && Path.of(dataDirInPidFile).toAbsolutePath().normalize()
                .endsWith(pgDir.getFileName());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
