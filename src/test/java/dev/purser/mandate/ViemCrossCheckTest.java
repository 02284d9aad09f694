package dev.purser.mandate;

import static dev.purser.mandate.Fixtures.accepted;
import static dev.purser.mandate.Fixtures.rootMessage;
import static dev.purser.mandate.Fixtures.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A mandate signed by an independent implementation — viem's {@code signTypedData}, run with
 * Node — verifies here with the same id. viem is installed with npm into {@code target/viem} at
 * test time; the test is skipped only where node or npm is missing (CI has both and reaches the
 * npm registry, so there it always runs).
 */
class ViemCrossCheckTest {

    /** Pinned: a cross-check against a moving target would fail for reasons not ours. */
    private static final String VIEM = "viem@2.57.20";

    private static final Path DIR = Path.of("target", "viem");

    @Test
    void aMandateSignedWithViemVerifiesWithTheSameId() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed for this check");
        install();
        ObjectNode input = Fixtures.JSON.createObjectNode()
                .put("privateKey",
                        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
                .put("chainId", 84532);
        input.set("types", MandateExtension.params(84532).get("types"));
        ObjectNode message = rootMessage();
        // Principal = the viem key's account (Anvil #1); a different mandate than the vector.
        message.put("principal", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        message.put("agent", Fixtures.ANVIL_2);
        message.putArray("skills").add("echo-paid").add("translate.v2");
        message.put("nonce", "0x" + "5a".repeat(32));
        input.set("message", message);

        JsonNode out = Fixtures.JSON.readTree(run(List.of("node", "viem-sign-mandate.mjs",
                input.toString())));
        Mandate mandate = accepted(verifier().verify(out.get("body").toString()));
        assertEquals(out.get("digest").textValue(), mandate.id().hex());
        assertEquals(out.get("address").textValue(), mandate.principal().id());
    }

    private static void install() throws Exception {
        Files.createDirectories(DIR);
        try (InputStream script = ViemCrossCheckTest.class
                .getResourceAsStream("/mandate/viem-sign-mandate.mjs")) {
            Files.write(DIR.resolve("viem-sign-mandate.mjs"), script.readAllBytes());
        }
        // ESM resolves imports next to the script, hence a package.json in the same folder.
        if (!Files.exists(DIR.resolve("package.json"))) {
            Files.writeString(DIR.resolve("package.json"),
                    "{\"name\":\"purser-viem-check\",\"private\":true,\"type\":\"module\"}\n");
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/viem"))) {
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--silent", VIEM));
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command.getFirst() + " did not finish");
        }
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed: " + out);
        return out.strip();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
