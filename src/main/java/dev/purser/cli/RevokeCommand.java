package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * {@code purser mandate revoke}: {@code RevokeMandate(mandateId, revokedAt)} signed with the
 * principal's key, the body of {@code POST /api/a2a/mandates/{id}/revoke}.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Sign a revocation of a mandate (and so of its children).")
final class RevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--revoked-at", description = "Unix seconds (default: now).")
    Optional<Long> revokedAt;

    @Mixin
    MandateDocument document;

    @Override
    public Integer call() throws Exception {
        ObjectNode revocation = Output.JSON.createObjectNode();
        revocation.put("mandateId", document.mandateId().hex());
        revocation.put("revokedAt", revokedAt.orElse(Instant.now().getEpochSecond()));
        return document.publish(spec, "revocation", PurserTypes.REVOKE_MANDATE,
                SignedRequests.REVOCATION_TYP, revocation,
                "revokes", "POST", "/revoke");
    }
}
