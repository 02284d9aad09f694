package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.TypedDataSchema;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What the commands that sign a request about one registered mandate share (revoke, policy,
 * session key): the mandate's id, the signer's key file, and {@link Signing}'s chain and output.
 */
final class MandateDocument {

    @Option(names = "--key", required = true, description = "The signer's key file: the"
            + " mandate principal's (revoke, policy) or agent's (key); an AP2 party's JWK.")
    Path key;

    @Option(names = "--id", required = true, description = "The mandate id (0x + 64 hex).")
    String id;

    @Mixin
    Signing signing;

    Bytes32 mandateId() {
        return Bytes32.fromHex(id);
    }

    /**
     * Signs {@code message} with the key — as {@code type}, {@code {name: message, signature}};
     * with an AP2 party's JWK, as {@code {"jws"}} of {@code jwsTyp} ({@link Signing#body}) —
     * writes it (printing {@code label: <mandate id>}) and, with {@code --post}, sends it with
     * {@code method} to {@code /api/a2a/mandates/{id}<suffix>}; the exit code.
     */
    int publish(CommandSpec spec, String name, TypedDataSchema type, String jwsTyp,
            ObjectNode message, String label, String method, String suffix)
            throws IOException, InterruptedException {
        ObjectNode body = signing.body(key, name, type, jwsTyp, message);
        String mandate = mandateId().hex();
        return signing.publish(spec, body, label, mandate, method,
                "/api/a2a/mandates/" + mandate + suffix);
    }
}
