package dev.purser.cli;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code purser mandate inspect}: the envelope's state, {@code GET /api/a2a/mandates/{id}}. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a registered mandate's envelope: budget, spent, reserved, status.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--id", required = true, description = "The mandate id.")
    String id;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "The Purser server, e.g. http://localhost:8080.")
    URI server;

    @Override
    public Integer call() throws Exception {
        URI uri = Output.resolve(server, "/api/a2a/mandates/"
                + dev.purser.crypto.Bytes32.fromHex(id).hex());
        return Output.Http.exchange(HttpRequest.newBuilder(uri).GET()
                .timeout(Duration.ofSeconds(30)).build(), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
