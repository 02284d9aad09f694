package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.mandate.MandateCheck;
import dev.purser.mandate.MandateRefusal;
import dev.purser.money.Amount;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate sign}: an EIP-712 SpendingMandate signed with the principal's key,
 * written as the body of {@code POST /api/a2a/mandates}. Before writing, it runs the server's
 * verifier on the result, so a mistake (a cap above the budget, a foreign asset) is caught here
 * rather than by the server.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign a spending mandate (EIP-712) for an agent and print its id.")
final class SignCommand implements Callable<Integer> {

    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})([smhdw])");

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, description = "The principal's key file.")
    Path key;

    @Option(names = "--agent", required = true, description = "The agent's address (0x…).")
    String agent;

    @Option(names = "--budget", required = true,
            description = "Budget in atomic units of the asset (USDC: 1000000 = 1.00).")
    String budget;

    @Option(names = "--per-task-max", defaultValue = "0",
            description = "Largest single draw in atomic units; 0 = no cap (default).")
    String perTaskMax;

    @Option(names = "--skills", split = ",",
            description = "Skills the agent may pay for, comma-separated; none = any skill.")
    List<String> skills = List.of();

    @Option(names = "--expires-in",
            description = "Lifetime from now: 30d, 12h, 90m, 2w, or ISO-8601 (P30D).")
    Optional<String> expiresIn;

    @Option(names = "--expires-at",
            description = "Expiry as unix seconds (instead of --expires-in).")
    Optional<Long> expiresAt;

    @Option(names = "--not-before",
            description = "First valid instant, unix seconds (default: now).")
    Optional<Long> notBefore;

    @Option(names = "--parent", description = "The parent mandate's id, for a child mandate "
            + "(signed with the parent's agent key).")
    Optional<String> parent;

    @Option(names = "--nonce", description = "32 bytes of 0x hex (default: random).")
    Optional<String> nonce;

    @Mixin
    Signing signing;

    @Override
    public Integer call() throws Exception {
        Secp256k1Key signer = KeyFile.read(key);
        Instant now = Instant.now();
        long start = notBefore.orElse(now.getEpochSecond());
        long end;
        if (expiresAt.isPresent() == expiresIn.isPresent()) {
            throw new IllegalArgumentException("give exactly one of --expires-in, --expires-at");
        }
        end = expiresAt.orElseGet(() -> now.plus(duration(expiresIn.get())).getEpochSecond());

        ObjectNode message = Output.JSON.createObjectNode();
        message.put("principal", signer.address().checksummed());
        message.put("agent", Address.of(agent).checksummed());
        message.put("asset", signing.network.asset().address());
        message.put("budget", Amount.parse(budget).orElseThrow().toDecimalString());
        message.put("perTaskMax", Amount.parse(perTaskMax).orElseThrow().toDecimalString());
        skills.forEach(message.putArray("skills")::add);
        message.put("notBefore", start);
        message.put("expiresAt", end);
        message.put("parent", parent.map(Bytes32::fromHex).orElse(Bytes32.ZERO).hex());
        message.put("nonce", nonce.map(Bytes32::fromHex).orElseGet(SignCommand::randomNonce)
                .hex());
        Bytes32 id = signing.digest(PurserTypes.SPENDING_MANDATE, message);
        ObjectNode body = Signing.signed("mandate", message, id, signer);

        if (signing.network.verifier(Clock.systemUTC()).verify(body.toString())
                instanceof MandateCheck.Refused refused
                && refused.refusal().reason() != MandateRefusal.Reason.NOT_YET_VALID) {
            MandateRefusal refusal = refused.refusal();
            spec.commandLine().getErr().println("purser: the server would refuse this mandate: "
                    + refusal.code() + " (" + refusal.field() + "): " + refusal.message());
            return 1;
        }
        return signing.publish(spec, body, "id", id.hex(), "/api/a2a/mandates");
    }

    static Duration duration(String text) {
        Matcher matcher = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return Duration.parse(text);
        }
        long n = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    static Bytes32 randomNonce() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new Bytes32(bytes);
    }
}
