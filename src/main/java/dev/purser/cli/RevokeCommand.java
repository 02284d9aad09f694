package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.mandate.SignedRequests;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate revoke}: {@code RevokeMandate(mandateId, revokedAt)} signed with the
 * principal's key, the body of {@code POST /api/a2a/mandates/{id}/revoke}; for an AP2 mandate
 * the issuer's P-256 key signs the same members as a JWS.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Sign a revocation of a mandate (and so of its children).")
final class RevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, description = "The mandate principal's key file (an AP2 issuer's: its JWK).")
    Path key;

    @Option(names = "--id", required = true, description = "The mandate id (0x + 64 hex).")
    String id;

    @Option(names = "--revoked-at", description = "Unix seconds (default: now).")
    Optional<Long> revokedAt;

    @Mixin
    Signing signing;

    @Override
    public Integer call() throws Exception {
        Bytes32 mandateId = Bytes32.fromHex(id);
        ObjectNode revocation = Output.JSON.createObjectNode();
        revocation.put("mandateId", mandateId.hex());
        revocation.put("revokedAt", revokedAt.orElse(Instant.now().getEpochSecond()));
        ObjectNode body = signing.body(key, "revocation", PurserTypes.REVOKE_MANDATE,
                SignedRequests.REVOCATION_TYP, revocation);
        return signing.publish(spec, body, "revokes", mandateId.hex(),
                "/api/a2a/mandates/" + mandateId.hex() + "/revoke");
    }
}
