package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.ledger.EnvelopePolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Reads an {@code EnvelopePolicy} struct (DESIGN §4) into the ledger's {@link EnvelopePolicy}.
 * The EIP-712 form was schema-checked before; an AP2 JWS payload was not, so every member is
 * checked here too, each refusal naming its field.
 */
final class PolicyFields {

    /** As many thresholds as {@code policy.schema.json} allows. */
    static final int SOFT_LIMITS_MAX = 16;

    static final int WEBHOOK_MAX = 2048;

    private static final String UINT256 = "0|[1-9][0-9]{0,77}";

    private PolicyFields() {
    }

    /** The policy's members as the ledger stores them ({@code mandate} is checked by the caller). */
    static EnvelopePolicy read(JsonNode policy, String path) {
        if (!policy.path("dailyMax").isTextual()
                || !policy.get("dailyMax").textValue().matches(UINT256)) {
            throw invalid(path + ".dailyMax", "must be a decimal string of atomic units");
        }
        long dailyMax = SignedFields.amount(policy, "dailyMax", path).units();
        int rate = guard(policy, "ratePerMinute", path);
        int concurrency = guard(policy, "concurrency", path);
        int loop = guard(policy, "loopPerMinute", path);
        JsonNode soft = policy.path("softLimits");
        if (!soft.isArray() || soft.size() > SOFT_LIMITS_MAX) {
            throw invalid(path + ".softLimits", "must be an array of at most " + SOFT_LIMITS_MAX
                    + " percentages");
        }
        List<Integer> thresholds = new ArrayList<>();
        for (JsonNode t : soft) {
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 1
                    || t.intValue() > 100) {
                throw invalid(path + ".softLimits", "each threshold is a percentage, 1 to 100");
            }
            thresholds.add(t.intValue());
        }
        if (new HashSet<>(thresholds).size() != thresholds.size()) {
            throw invalid(path + ".softLimits", "a threshold is named twice");
        }
        JsonNode webhook = policy.path("webhook");
        if (!webhook.isTextual() || webhook.textValue().length() > WEBHOOK_MAX) {
            throw invalid(path + ".webhook", "must be a string of at most " + WEBHOOK_MAX
                    + " characters (\"\" = the server's webhook)");
        }
        long issuedAt = SignedRequests.unixSeconds(policy, "issuedAt", path).getEpochSecond();
        return new EnvelopePolicy(dailyMax, rate, concurrency, loop, thresholds,
                webhook.textValue(), issuedAt);
    }

    /** A uint32 guard; the ledger's columns hold up to {@link Integer#MAX_VALUE}. */
    private static int guard(JsonNode policy, String name, String path) {
        JsonNode value = policy.path(name);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw invalid(path + "." + name, "must be a number from 0 (the server's) to "
                    + Integer.MAX_VALUE);
        }
        return value.intValue();
    }

    private static Refuse invalid(String field, String why) {
        return new Refuse(MandateRefusal.Reason.INVALID, field, field + " " + why);
    }
}
