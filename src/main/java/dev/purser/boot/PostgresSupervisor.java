package dev.purser.boot;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Keeps the embedded PostgreSQL running. Every second it looks at the postmaster that
 * {@code postmaster.pid} names; once that process is gone (killed, crashed, or exited) it starts
 * PostgreSQL again on the same data directory and port, with the options it last ran with
 * ({@code postmaster.opts}), through {@code pg_ctl} as zonky does. A stopped (SIGSTOP) postmaster
 * is alive: a hung database is the timeouts' business, not a restart's. After a restart the
 * listeners run (the pools drop their dead connections).
 */
final class PostgresSupervisor {

    private static final Logger LOG = Logger.getLogger(PostgresSupervisor.class);
    private static final long TICK_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final int PG_CTL_WAIT_SECONDS = 60;
    private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();

    private final Path pgDir;
    private final Path log;
    private final Object lock;
    private final BooleanSupplier closed;
    /** The socket's lock file, as the last postmaster.pid read named it (lines 4 and 5). */
    private volatile Path socketLock;

    /**
     * {@code closed} is read under {@code lock}, which the owner holds while it stops PostgreSQL,
     * so that a stop is never taken for a death.
     */
    PostgresSupervisor(Path pgDir, Path log, Object lock, BooleanSupplier closed) {
        this.pgDir = pgDir;
        this.log = log;
        this.lock = lock;
        this.closed = closed;
    }

    /**
     * Runs {@code listener} after each restart (in the supervisor's thread); the answer takes it
     * off again.
     */
    static Runnable afterRestart(Runnable listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    void start() {
        Thread.ofPlatform().daemon().name("embedded-postgres-supervisor").start(this::loop);
    }

    private void loop() {
        long wait = TICK_MILLIS;
        while (!isClosed()) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            if (postmasterAlive()) {
                wait = TICK_MILLIS;
                continue;
            }
            if (restart()) {
                wait = TICK_MILLIS;
                LISTENERS.forEach(PostgresSupervisor::notify);
            } else if (!isClosed()) {
                // A database that cannot start (disk full, its backends still holding shared
                // memory) is tried again, less and less often.
                wait = Math.min(MAX_BACKOFF_MILLIS, wait * 2);
            }
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed.getAsBoolean();
        }
    }

    /** Whether the postmaster of the pid file runs; true when that cannot be told. */
    boolean postmasterAlive() {
        List<String> lines;
        try {
            lines = Files.readAllLines(pgDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
            return false; // PostgreSQL removes it when it stops
        } catch (IOException e) {
            return true;
        }
        if (lines.isEmpty()) {
            return true; // being written
        }
        if (lines.size() >= 5 && !lines.get(4).isBlank()) {
            socketLock = Path.of(lines.get(4).trim(), ".s.PGSQL." + lines.get(3).trim() + ".lock");
        }
        try {
            return alive(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * A process named postgres that is not a zombie: nothing reaps an orphaned postmaster in some
     * containers, and a zombie still answers signals, so ProcessHandle would call it alive.
     */
    private static boolean alive(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            String s = Files.readString(stat, StandardCharsets.UTF_8);
            int end = s.lastIndexOf(')');
            char state = end > 0 && end + 2 < s.length() ? s.charAt(end + 2) : '?';
            return s.contains("(postgres)") && state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private boolean restart() {
        synchronized (lock) {
            if (closed.getAsBoolean() || postmasterAlive()) {
                return false;
            }
            LOG.errorf("The embedded PostgreSQL on %s is gone; restarting it", pgDir);
            try {
                List<String> command = pgCtl();
                removeStaleLocks();
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(Redirect.appendTo(log.toFile())).start();
                if (!p.waitFor(PG_CTL_WAIT_SECONDS + 10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                if (p.isAlive() || p.exitValue() != 0) {
                    LOG.errorf("The embedded PostgreSQL did not start again (see %s); retrying", log);
                    return false;
                }
            } catch (IOException e) {
                LOG.errorf(e, "The embedded PostgreSQL could not be restarted; retrying");
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            LOG.warnf("The embedded PostgreSQL is running again on %s", pgDir);
            return true;
        }
    }

    /**
     * The dead postmaster's lock files, its data directory's and its socket's: its process is gone
     * or a zombie, which would look alive to PostgreSQL's own check (it signals the pid). A backend
     * that outlived it still holds the shared memory, which PostgreSQL checks by itself and refuses
     * to start on; then the next try succeeds.
     */
    private void removeStaleLocks() throws IOException {
        if (socketLock != null) {
            try {
                List<String> lock = Files.readAllLines(socketLock, StandardCharsets.UTF_8);
                if (!lock.isEmpty() && !alive(Long.parseLong(lock.get(0).trim()))) {
                    Files.deleteIfExists(socketLock);
                }
            } catch (NoSuchFileException | NumberFormatException gone) {
                // PostgreSQL removed it, or it is not one of PostgreSQL's
            }
        }
        Files.deleteIfExists(pgDir.resolve("postmaster.pid"));
    }

    /**
     * {@code pg_ctl restart} beside the postgres binary that {@code postmaster.opts} names: with no
     * running server it starts one with exactly those options (data directory, port, settings).
     */
    private List<String> pgCtl() throws IOException {
        String opts = Files.readString(pgDir.resolve("postmaster.opts"), StandardCharsets.UTF_8).strip();
        int args = opts.indexOf(" \"");
        Path postgres = Path.of(args < 0 ? opts : opts.substring(0, args));
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as zonky runs it as root
        }
        command.addAll(List.of(postgres.resolveSibling("pg_ctl").toString(), "-D", pgDir.toString(),
                "-w", "-t", Integer.toString(PG_CTL_WAIT_SECONDS), "restart"));
        return command;
    }

    private static void notify(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warn("a listener of the embedded PostgreSQL's restart failed", e);
        }
    }
}
