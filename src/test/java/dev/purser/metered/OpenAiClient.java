package dev.purser.metered;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The official {@code openai} npm client (pinned in {@code src/test/node/package-lock.json}),
 * unmodified but for base URL and key, run under Node by {@code src/test/node/openai-call.mjs}:
 * the "OpenAI SDK written elsewhere" for tests of Purser's {@code /v1}. The first {@link #run} of
 * a JVM installs it with {@code npm ci} into {@code target/openai-node/}. Where node or npm cannot
 * run, the test is skipped, except under {@code CI=true}, where it fails (CI installs both).
 *
 * <p>A job is the JSON {@code src/test/node/README.md} describes, e.g.
 * <pre>{@code
 * List<JsonNode> results = OpenAiClient.run("""
 *     {"baseURL": "%s", "apiKey": "psk_...", "stream": true, "concurrency": 8,
 *      "request": {"model": "gpt-fake", "max_tokens": 50,
 *                  "messages": [{"role": "user", "content": "hi"}],
 *                  "stream_options": {"include_usage": true}}}""".formatted(purser + "/v1"));
 * results.get(0).path("headers").path("x-purser-cost").asText();
 * }</pre>
 * Each result has {@code index} and {@code ok}; success: {@code status}, {@code headers} and
 * {@code response} (non-stream), or {@code content}, {@code chunks}, {@code usage},
 * {@code finishReason} (stream); with {@code "raw": true} also {@code body}, {@code events},
 * {@code comments} (SSE comment lines) and {@code done}; failure: {@code error} ({@code class},
 * {@code status}, {@code type}, {@code code}, {@code param}, {@code message}, {@code body}) and
 * {@code headers}.
 */
public final class OpenAiClient {

    private static final Path SOURCE = Path.of("src", "test", "node");
    private static final Path DIR = Path.of("target", "openai-node");
    private static final String SCRIPT = "openai-call.mjs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean installed;

    private OpenAiClient() {
    }

    /** Runs {@code job} (JSON text); returns one result per call, in call order. */
    public static List<JsonNode> run(String job) {
        try {
            return run(JSON.readTree(job));
        } catch (IOException e) {
            throw new IllegalArgumentException("the job is not JSON: " + job, e);
        }
    }

    /** Runs {@code job}; returns one result per call, in call order. */
    public static List<JsonNode> run(JsonNode job) {
        Path dir = install();
        long timeoutMs = job.path("timeoutMs").asLong(30_000) + 60_000;
        try {
            Path stderr = Files.createTempFile(dir, "stderr", ".txt");
            Process p = new ProcessBuilder("node", SCRIPT).directory(dir.toFile())
                    .redirectError(stderr.toFile()).start();
            CompletableFuture<byte[]> out = drain(p);
            try (var in = p.getOutputStream()) {
                in.write(JSON.writeValueAsBytes(job));
            }
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openai-call.mjs did not finish in " + timeoutMs
                        + " ms; stderr: " + Files.readString(stderr));
            }
            String stdout = text(out.join());
            if (p.exitValue() != 0) {
                throw new IllegalStateException("openai-call.mjs exited " + p.exitValue()
                        + ": " + Files.readString(stderr) + stdout);
            }
            Files.delete(stderr);
            List<JsonNode> results = new ArrayList<>();
            for (String line : stdout.lines().filter(l -> !l.isBlank()).toList()) {
                results.add(JSON.readTree(line));
            }
            return results;
        } catch (IOException e) {
            throw new IllegalStateException("could not run node " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Copies the package, its lock and the script into {@code target/openai-node} and runs
     * {@code npm ci} there, once per JVM; returns that directory.
     */
    static synchronized Path install() {
        if (installed) {
            return DIR.toAbsolutePath();
        }
        try {
            Files.createDirectories(DIR);
            for (String file : List.of("package.json", "package-lock.json", SCRIPT)) {
                Files.copy(SOURCE.resolve(file), DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not copy " + SOURCE + " to " + DIR, e);
        }
        unavailable(check("node", "--version"));
        unavailable(check("npm", "--version"));
        unavailable(check("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline",
                "--loglevel=error"));
        installed = true;
        return DIR.toAbsolutePath();
    }

    /** Skips the test when {@code why} is set, or fails it under {@code CI=true}. */
    private static void unavailable(String why) {
        if (why == null) {
            return;
        }
        String message = "the official openai client cannot run here: " + why;
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }

    /** Runs a command in the install directory; returns why it failed, or null. */
    private static String check(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true)
                    .start();
            CompletableFuture<byte[]> out = drain(p);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " did not finish in 5 minutes";
            }
            return p.exitValue() == 0 ? null
                    : String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text(out.join());
        } catch (IOException e) {
            return String.join(" ", cmd) + " could not start (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Reads the process's output on a thread of its own (a full pipe would stall the child). */
    private static CompletableFuture<byte[]> drain(Process p) {
        return CompletableFuture.supplyAsync(() -> {
            try (var in = p.getInputStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                return ("(unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }
}
