package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.mandate.SignedRequests;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate key}: {@code SessionKey(mandate, label, expiresAt, nonce)} signed with
 * the agent's key, the body of {@code POST /api/a2a/mandates/{id}/keys} (DESIGN §11). Keep the
 * document ({@code --out}): it is also what revokes the key ({@code mandate key-revoke}).
 */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Sign a session key request with the mandate agent's key; with --post,"
                + " create the key and print its psk_ secret (shown once).")
final class KeyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--label", defaultValue = "",
            description = "A name for the key (which run or tool holds it).")
    String label;

    @Option(names = "--expires-in", defaultValue = "1d",
            description = "Lifetime from now: 30d, 12h, 90m, 2w, or ISO-8601 (default: 1d).")
    String expiresIn;

    @Option(names = "--expires-at",
            description = "Expiry as unix seconds (instead of --expires-in).")
    Optional<Long> expiresAt;

    @Option(names = "--nonce", description = "32 bytes of 0x hex (default: random).")
    Optional<String> nonce;

    @Mixin
    MandateDocument document;

    @Override
    public Integer call() throws Exception {
        ObjectNode message = Output.JSON.createObjectNode();
        message.put("mandate", document.mandateId().hex());
        message.put("label", label);
        message.put("expiresAt", expiresAt.orElseGet(() -> Instant.now()
                .plus(SignCommand.duration(expiresIn)).getEpochSecond()));
        message.put("nonce", nonce.map(Bytes32::fromHex).orElseGet(SignCommand::randomNonce)
                .hex());
        return document.publish(spec, "key", PurserTypes.SESSION_KEY,
                SignedRequests.SESSION_KEY_TYP, message, "mandate", "POST",
                "/keys");
    }
}
