package dev.purser.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * For outage tests: the PostgreSQL running on a data directory ({@code <PURSER_DATA_DIR>/pg}),
 * found through its {@code postmaster.pid}, and signals sent to it: kill -9, or SIGSTOP of the
 * postmaster and every backend (a hung database) and SIGCONT again.
 */
public final class Postmaster {

    private final Path pgDir;

    public Postmaster(Path pgDir) {
        this.pgDir = pgDir;
    }

    /** The postmaster's pid, as its lock file says now. */
    public long pid() throws IOException {
        return Long.parseLong(lines().get(0).trim());
    }

    public int port() throws IOException {
        return Integer.parseInt(lines().get(3).trim());
    }

    public String jdbcUrl() throws IOException {
        return "jdbc:postgresql://localhost:" + port() + "/postgres";
    }

    /** kill -9 of the postmaster alone, as a crash would: its backends notice and exit. */
    public long kill() throws IOException, InterruptedException {
        long pid = pid();
        signal("KILL", List.of(pid));
        return pid;
    }

    /** SIGSTOP to the postmaster, then to all its processes; returns them for {@link #resume}. */
    public List<Long> stop() throws IOException, InterruptedException {
        long pid = pid();
        signal("STOP", List.of(pid)); // first, so that it forks nothing new meanwhile
        List<Long> all = new ArrayList<>();
        all.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> all.add(d.pid())));
        signal("STOP", all.subList(1, all.size()));
        return all;
    }

    /** SIGCONT to what {@link #stop} stopped. */
    public void resume(List<Long> stopped) throws IOException, InterruptedException {
        signal("CONT", stopped);
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(pgDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
    }

    private static void signal(String name, List<Long> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + name));
        pids.forEach(p -> command.add(Long.toString(p)));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pids + ": "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
