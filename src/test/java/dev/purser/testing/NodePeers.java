package dev.purser.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Independent implementations from npm (viem, …) run with Node, to check what Purser signs and
 * verifies against code that is not ours. Installed once into {@code target/node-peers}; a machine
 * without node and npm skips those tests (CI machines have both).
 */
public final class NodePeers {

    private static final Path DIR = Path.of("target", "node-peers");
    private static final String[] PACKAGES = {"viem@2.57.20"};

    private NodePeers() {
    }

    /** Runs {@code script} (a test resource path) with {@code args}; returns its standard output. */
    public static synchronized String run(String script, String... args) {
        ensureInstalled();
        try {
            Path copy = copyResource(script);
            List<String> cmd = new ArrayList<>(List.of("node", copy.getFileName().toString()));
            cmd.addAll(List.of(args));
            return exec(cmd, 60);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a test resource into the peers' directory (where scripts find node_modules). */
    public static synchronized Path copyResource(String resource) throws IOException {
        Files.createDirectories(DIR);
        Path copy = DIR.resolve(Path.of(resource).getFileName());
        try (var in = NodePeers.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            Files.write(copy, in.readAllBytes());
        }
        return copy.toAbsolutePath();
    }

    /** Whether node and npm can be run here; tests needing them assume it. */
    public static boolean nodeAvailable() {
        return available("node") && available("npm");
    }

    private static void ensureInstalled() {
        Assumptions.assumeTrue(nodeAvailable(), "node and npm are not installed");
        installPeers();
    }

    /** Installs the peers {@link #run} scripts use (viem) unless they are there already. */
    public static Path installPeers() {
        return install(PACKAGES);
    }

    /**
     * Installs npm packages ({@code name@version}) into the peers' directory unless they are there
     * already; returns the directory. Callers check {@link #nodeAvailable} first.
     */
    public static synchronized Path install(String... packages) {
        List<String> missing = new ArrayList<>();
        for (String spec : packages) {
            String name = spec.substring(0, spec.lastIndexOf('@'));
            if (!Files.isRegularFile(DIR.resolve("node_modules").resolve(name).resolve("package.json"))) {
                missing.add(spec);
            }
        }
        if (missing.isEmpty()) {
            return DIR.toAbsolutePath();
        }
        try {
            Files.createDirectories(DIR);
            if (!Files.exists(DIR.resolve("package.json"))) {
                Files.writeString(DIR.resolve("package.json"), "{\"private\":true,\"type\":\"module\"}");
            }
            List<String> cmd = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund",
                    "--loglevel=error"));
            cmd.addAll(missing);
            exec(cmd, 300);
            return DIR.toAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Why the npm registry cannot be reached from here ({@code npm ping} fails), or empty when it
     * can: the one reason tests that install from npm may skip rather than fail.
     */
    public static java.util.Optional<String> registryUnreachable() {
        try {
            Files.createDirectories(DIR);
            exec(List.of("npm", "ping", "--fetch-timeout=20000", "--fetch-retries=0"), 60);
            return java.util.Optional.empty();
        } catch (IOException | IllegalStateException e) {
            // npm's own warnings (about unrelated config) would bury the reason
            return java.util.Optional.of(e.getMessage().lines().filter(l -> !l.startsWith("npm warn"))
                    .collect(java.util.stream.Collectors.joining(" ")).strip());
        }
    }

    private static boolean available(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String exec(List<String> cmd, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(false).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
