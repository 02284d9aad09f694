package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.PurserTypes;
import dev.purser.mandate.SignedRequests;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate policy}: {@code EnvelopePolicy(mandate, dailyMax, ratePerMinute,
 * concurrency, loopPerMinute, softLimits, webhook, issuedAt)} signed with the principal's key, the
 * body of {@code PUT /api/a2a/mandates/{id}/policy} (DESIGN §4). Each limit left out is 0: none
 * for the daily cap, the server's for the guards.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Sign an envelope policy (daily cap, tighter guards, soft-limit notices and"
                + " their webhook) with the mandate principal's key; --post sends it (PUT).")
final class PolicyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--daily-max", defaultValue = "0",
            description = "Atomic units per UTC day (default: 0, no daily cap).")
    long dailyMax;

    @Option(names = "--rate", defaultValue = "0",
            description = "The agent's reservations per minute (default: 0, the server's).")
    int rate;

    @Option(names = "--concurrency", defaultValue = "0",
            description = "The agent's pending reservations (default: 0, the server's).")
    int concurrency;

    @Option(names = "--loop", defaultValue = "0",
            description = "Identical requests per minute (default: 0, the server's).")
    int loop;

    @Option(names = "--soft-limits", split = ",",
            description = "Notice thresholds in percent, e.g. 50,90 (default: the server's).")
    List<Integer> softLimits = List.of();

    @Option(names = "--webhook", defaultValue = "",
            description = "Where notices go (default: the server's PURSER_LEDGER_WEBHOOK).")
    String webhook;

    @Option(names = "--issued-at",
            description = "Unix seconds (default: now); the latest policy holds.")
    Optional<Long> issuedAt;

    @Mixin
    MandateDocument document;

    @Override
    public Integer call() throws Exception {
        ObjectNode policy = Output.JSON.createObjectNode();
        policy.put("mandate", document.mandateId().hex());
        policy.put("dailyMax", Long.toString(dailyMax));
        policy.put("ratePerMinute", rate);
        policy.put("concurrency", concurrency);
        policy.put("loopPerMinute", loop);
        softLimits.forEach(policy.putArray("softLimits")::add);
        policy.put("webhook", webhook);
        policy.put("issuedAt", issuedAt.orElse(Instant.now().getEpochSecond()));
        return document.publish(spec, "policy", PurserTypes.ENVELOPE_POLICY,
                SignedRequests.POLICY_TYP, policy, "mandate", "PUT", "/policy");
    }
}
