package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.P256Key;
import dev.purser.crypto.SdJwtWriter;
import dev.purser.mandate.MandateCheck;
import dev.purser.mandate.MandateRefusal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate ap2-open}: an AP2 v0.2 open payment mandate (SD-JWT, ES256) issued with
 * the principal's P-256 key for an agent's key, written as the body of
 * {@code POST /api/a2a/mandates}. Like {@code sign}, it runs the server's verifier first.
 */
@Command(name = "ap2-open", mixinStandardHelpOptions = true,
        description = "Issue an AP2 open payment mandate (SD-JWT) for an agent's P-256 key and"
                + " print its id.")
final class Ap2OpenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "JWK_FILE",
            description = "The principal's (issuer's) P-256 key file (keygen --p256).")
    Path key;

    @Mixin
    Ap2Terms terms;

    @Mixin
    Signing signing;

    @Override
    public Integer call() throws Exception {
        P256Key issuer = KeyFile.readP256(key);
        String token = SdJwtWriter.root(issuer, terms.content(Instant.now()), new SecureRandom());
        ObjectNode body = Output.JSON.createObjectNode().put("sdJwt", token);
        if (signing.network.verifier(Clock.systemUTC()).verify(body.toString())
                instanceof MandateCheck.Refused refused) {
            MandateRefusal refusal = refused.refusal();
            spec.commandLine().getErr().println("purser: the server would refuse this mandate: "
                    + refusal.code() + " (" + refusal.field() + "): " + refusal.message());
            return 1;
        }
        return signing.publish(spec, body, "id", Ap2Chains.id(token).hex(), "/api/a2a/mandates");
    }
}
