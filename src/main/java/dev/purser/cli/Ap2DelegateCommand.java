package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.P256Key;
import dev.purser.crypto.SdJwtWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate ap2-delegate}: a child AP2 open mandate (a Delegate SD-JWT hop, typ
 * {@code kb+sd-jwt+kb}) signed with the parent's agent key for a sub-agent's key, written as the
 * chain from its root — the body that registers it. The server checks that it narrows its parent.
 */
@Command(name = "ap2-delegate", mixinStandardHelpOptions = true,
        description = "Delegate part of an AP2 mandate to a sub-agent's P-256 key (a child open"
                + " mandate); print the child's id.")
final class Ap2DelegateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "JWK_FILE",
            description = "The parent mandate's agent key file (its cnf key).")
    Path key;

    @Option(names = "--parent", required = true, paramLabel = "FILE",
            description = "The parent's chain: the file ap2-open (or ap2-delegate) wrote.")
    Path parent;

    @Option(names = "--aud", description = "Whom the hop is addressed to; default: the"
            + " receiptSigner on the card of the --post server.")
    Optional<String> aud;

    @Mixin
    Ap2Terms terms;

    @Mixin
    Signing signing;

    @Override
    public Integer call() throws Exception {
        P256Key holder = KeyFile.readP256(key);
        String chain = Ap2Chains.read(parent);
        Instant now = Instant.now();
        String hop = SdJwtWriter.hop(holder, "kb+sd-jwt+kb", Ap2Chains.lastHop(chain),
                terms.content(now), Ap2Chains.audience(aud, signing.output.post),
                UUID.randomUUID().toString(), now.getEpochSecond(), new SecureRandom());
        ObjectNode body = Output.JSON.createObjectNode().put("sdJwt", chain + "~" + hop);
        return signing.publish(spec, body, "id", Ap2Chains.id(hop).hex(), "/api/a2a/mandates");
    }
}
