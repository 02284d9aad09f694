package dev.purser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Jws;
import dev.purser.crypto.TokenParse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate key-revoke}: sends the signed document that created a session key,
 * byte for byte, to {@code DELETE /api/a2a/mandates/{id}/keys/{keyId}}; the mandate id is read
 * from the document ({@code key.mandate}, or an AP2 {@code jws}'s {@code mandate} claim).
 */
@Command(name = "key-revoke", mixinStandardHelpOptions = true,
        description = "Revoke a session key with the signed document that created it.")
final class KeyRevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--doc", required = true,
            description = "The signed request document that created the key (mandate key --out).")
    Path doc;

    @Option(names = "--key-id", required = true, description = "The key's id (not its secret).")
    String keyId;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "The Purser server, e.g. http://localhost:8080.")
    URI server;

    @Override
    public Integer call() throws Exception {
        JsonNode document = Output.JSON.readTree(doc.toFile());
        String mandate = mandate(document).orElseThrow(() -> new IllegalArgumentException(doc
                + " is not a session key request: no key.mandate (nor a jws naming one)"));
        if (!keyId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("--key-id must be a key id as the server gave it");
        }
        return Output.Http.exchange(HttpRequest.newBuilder(Output.resolve(server,
                "/api/a2a/mandates/" + mandate + "/keys/" + keyId))
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofFile(doc))
                .timeout(Duration.ofSeconds(30)).build(),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private static Optional<String> mandate(JsonNode document) {
        JsonNode claims = document.path("key");
        if (document.path("jws").isTextual()
                && Jws.parse(document.get("jws").textValue()) instanceof TokenParse.Parsed<Jws> p) {
            claims = p.value().payload();
        }
        String mandate = claims.path("mandate").asText("");
        return mandate.matches("0x[0-9a-fA-F]{64}") ? Optional.of(mandate) : Optional.empty();
    }
}
