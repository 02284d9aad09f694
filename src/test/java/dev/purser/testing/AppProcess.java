package dev.purser.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For the *IT tests: the packaged application ({@code target/quarkus-app}) run as its own process
 * by the JDK running the tests, so a test can kill it (-9) or stop it (SIGTERM) and start it again.
 * With the system property {@value #NATIVE_BINARY} (set by {@code -Dnative-it}) the process is that
 * native executable instead, so the same suites test the binary.
 * Its output goes to {@code target/it-logs/<name>.log}, appended over restarts under the same name,
 * and a start that fails says what the log said.
 */
public final class AppProcess implements AutoCloseable {

    /** The system property naming the native executable to run instead of the jar. */
    public static final String NATIVE_BINARY = "purser.it.native-binary";

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final Duration READY = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;
    /** Where the server keeps its embedded PostgreSQL ({@code pg/}), null when not told. */
    private final Path dataDir;

    private AppProcess(Process process, int port, Path log, Path dataDir) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.dataDir = dataDir;
    }

    /** What to start: {@code name} names the log file, {@code port} is QUARKUS_HTTP_PORT. */
    public static Launch jar(String name, int port) {
        return new Launch(name, port);
    }

    /** The settings of one start; the environment is the test JVM's, changed as asked. */
    public static final class Launch {
        private final String name;
        private final int port;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Set<String> unset = new HashSet<>();
        private Path workDir;

        private Launch(String name, int port) {
            this.name = name;
            this.port = port;
        }

        public Launch env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Removes an inherited variable, e.g. PURSER_DB_URL so the app starts its own database. */
        public Launch unset(String key) {
            unset.add(key);
            return this;
        }

        /** Runs the process in {@code dir} instead of the project directory. */
        public Launch workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Starts the process and returns once {@code /q/health/ready} answers 200. */
        public AppProcess start() throws IOException, InterruptedException {
            Files.createDirectories(LOGS);
            Path log = LOGS.toAbsolutePath().resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Map<String, String> environment = pb.environment();
            environment.keySet().removeAll(unset);
            environment.putAll(env);
            environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            String data = environment.get("PURSER_DATA_DIR");
            Path dataDir = data == null ? null
                    : (workDir == null ? Path.of(data) : workDir.resolve(data)).toAbsolutePath();
            AppProcess app = new AppProcess(pb.start(), port, log, dataDir);
            app.awaitReady();
            return app;
        }
    }

    /** The jar on the JDK running the tests, or the native executable when one is named. */
    private static List<String> command() {
        String binary = System.getProperty(NATIVE_BINARY, "");
        if (binary.isBlank()) {
            String java = ProcessHandle.current().info().command().orElse("java");
            return List.of(java, "-jar", JAR.toAbsolutePath().toString());
        }
        Path exe = Path.of(binary).toAbsolutePath();
        if (!Files.isExecutable(exe)) {
            // A native run without its binary must fail, never fall back to the jar.
            throw new IllegalStateException(NATIVE_BINARY + " names " + exe
                    + ", which is not an executable: build it first (build-native)");
        }
        return List.of(exe.toString());
    }

    private void awaitReady() throws IOException, InterruptedException {
        URI health = URI.create(baseUrl() + "/q/health/ready");
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Purser exited (" + log + "): " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(health).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Purser did not become ready (" + log + "): "
                + Files.readString(log));
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook runs, transactions are cut mid-flight. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, the orderly path; whether the process ended within 60 s. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /**
     * Kills what is still running, and the embedded PostgreSQL it started: pg_ctl detaches the
     * postmaster, so a killed server leaves it running, and every test class would leave one
     * behind. For try-with-resources and clean-up lists, at the end of a test.
     */
    @Override
    public void close() throws InterruptedException {
        kill();
        Path pidFile = dataDir == null ? null : dataDir.resolve("pg").resolve("postmaster.pid");
        if (pidFile == null || !Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid)
                    .filter(p -> p.info().command().orElse("").endsWith("postgres"))
                    .ifPresent(AppProcess::stopPostmaster);
        } catch (IOException | RuntimeException e) {
            // no readable lock file: nothing of ours to stop
        }
    }

    private static void stopPostmaster(ProcessHandle postmaster) {
        postmaster.destroy(); // SIGTERM: smart shutdown, and its clients are gone
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            postmaster.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port nobody listened on a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
