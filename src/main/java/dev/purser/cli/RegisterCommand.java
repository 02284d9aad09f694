package dev.purser.cli;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate register}: posts a signed mandate file, byte for byte, to
 * {@code POST /api/a2a/mandates} — the file {@code sign --out} wrote, or one signed elsewhere.
 * Registering the same file again answers the same envelope.
 */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register a signed mandate file with a Purser server; prints its envelope.")
final class RegisterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, description = "The signed mandate JSON file.")
    Path in;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "The Purser server, e.g. http://localhost:8080.")
    URI server;

    @Override
    public Integer call() throws Exception {
        return Output.Http.exchange(HttpRequest.newBuilder(Output.resolve(server,
                "/api/a2a/mandates")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(in)).timeout(Duration.ofSeconds(30))
                .build(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
