package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The terms of an AP2 open payment mandate (ap2.md §3, Purser's profile): what
 * {@code mandate ap2-open} and {@code mandate ap2-delegate} both disclose for the agent whose
 * key goes into {@code cnf}.
 */
final class Ap2Terms {

    private static final Pattern USD = Pattern.compile("[0-9]{1,12}(\\.[0-9]{1,2})?");

    @Option(names = "--agent", required = true, paramLabel = "JWK_FILE",
            description = "The agent's P-256 JWK file (public, or its keygen --p256 file): the"
                    + " key that may spend (cnf).")
    java.nio.file.Path agent;

    @Option(names = "--budget", required = true, paramLabel = "USD",
            description = "Budget in US dollars, e.g. 5.00 (AP2 payment.budget; 1 USD = 1 USDC).")
    String budget;

    @Option(names = "--per-task-max", paramLabel = "CENTS",
            description = "Largest single payment in US cents (payment.amount_range); none = no"
                    + " cap.")
    Optional<Long> perTaskMax;

    @Option(names = "--skills", split = ",",
            description = "Skills the agent may pay for (org.purser.allowed_skills); none = any.")
    List<String> skills = List.of();

    @Option(names = "--payees", split = ",",
            description = "Payee ids closed mandates may pay (payment.allowed_payees); none ="
                    + " any.")
    List<String> payees = List.of();

    @Option(names = "--instruments", split = ",", description = "Payment instrument ids closed"
            + " mandates may use (payment.allowed_payment_instruments); none = any.")
    List<String> instruments = List.of();

    @Option(names = "--recurrence", paramLabel = "ON_DEMAND|DAILY|WEEKLY|MONTHLY",
            description = "The budget renews each period (payment.agent_recurrence); default:"
                    + " one budget for the mandate's lifetime.")
    Optional<String> recurrence;

    @Option(names = "--expires-in", defaultValue = "1d",
            description = "Lifetime from now: 30d, 12h, 90m, 2w, or ISO-8601 (default: 1d).")
    String expiresIn;

    /** The open payment mandate: {@code vct}, constraints, {@code cnf}, {@code iat}, {@code exp}. */
    ObjectNode content(Instant now) throws java.io.IOException {
        if (!USD.matcher(budget).matches()) {
            throw new IllegalArgumentException("--budget " + budget + ": US dollars with at most"
                    + " two decimals, e.g. 5.00");
        }
        ObjectNode content = Output.JSON.createObjectNode().put("vct", "mandate.payment.open.1");
        ArrayNode constraints = content.putArray("constraints");
        constraints.addObject().put("type", "payment.budget").put("max", new BigDecimal(budget))
                .put("currency", "USD");
        perTaskMax.ifPresent(cents -> constraints.addObject().put("type", "payment.amount_range")
                .put("max", cents).put("currency", "USD"));
        recurrence.ifPresent(frequency -> constraints.addObject()
                .put("type", "payment.agent_recurrence").put("frequency", frequency));
        if (!skills.isEmpty()) {
            skills.forEach(constraints.addObject().put("type", "org.purser.allowed_skills")
                    .putArray("allowed")::add);
        }
        allowed(constraints, "payment.allowed_payees", payees, "name");
        allowed(constraints, "payment.allowed_payment_instruments", instruments, "type");
        content.putObject("cnf").set("jwk", KeyFile.readP256Public(agent));
        content.put("iat", now.getEpochSecond());
        content.put("exp", now.plus(SignCommand.duration(expiresIn)).getEpochSecond());
        return content;
    }

    /**
     * An {@code allowed} list of ids; {@code second} is the other member AP2's schema requires
     * (a payee's name, an instrument's type), set to the id: Purser matches by id.
     */
    private static void allowed(ArrayNode constraints, String type, List<String> ids,
            String second) {
        if (ids.isEmpty()) {
            return;
        }
        ArrayNode allowed = constraints.addObject().put("type", type).putArray("allowed");
        ids.forEach(id -> allowed.addObject().put("id", id).put(second,
                second.equals("type") ? "x402" : id));
    }
}
