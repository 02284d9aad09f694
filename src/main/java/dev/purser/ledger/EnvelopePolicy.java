package dev.purser.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The principal's envelope policy (DESIGN §4 "Envelope policy"): a daily cap, guards that may
 * only tighten the server's, and where and when the principal hears of spending. A child envelope
 * starts with its parent's and may only tighten its limits.
 *
 * @param dailyMax atomic units reserved or spent per UTC day (of the ledger's clock), 0 = none
 * @param ratePerMinute the agent's reservations per minute, 0 = the server's; else the tighter
 * @param concurrency the agent's pending reservations, 0 = the server's; else the tighter
 * @param loopPerMinute identical requests per minute, 0 = the server's; else the tighter
 * @param softLimits notice thresholds in percent of the budget, empty = the server's
 * @param webhook where notices go, {@code ""} = {@code PURSER_LEDGER_WEBHOOK}
 * @param issuedAt unix seconds of the policy in force; 0 = none was set
 */
public record EnvelopePolicy(long dailyMax, int ratePerMinute, int concurrency,
        int loopPerMinute, List<Integer> softLimits, String webhook, long issuedAt) {

    public EnvelopePolicy {
        if (dailyMax < 0 || ratePerMinute < 0 || concurrency < 0 || loopPerMinute < 0
                || issuedAt < 0) {
            throw new IllegalArgumentException("a policy's limits are not negative");
        }
        softLimits = softLimits == null ? List.of() : List.copyOf(softLimits);
        for (int t : softLimits) {
            if (t < 1 || t > 100) {
                throw new IllegalArgumentException("soft limits are percentages, 1 to 100");
            }
        }
        webhook = webhook == null ? "" : webhook;
    }

    /** As the envelope JSON shows it: the signed members but {@code mandate}. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("dailyMax", Long.toString(dailyMax));
        json.put("ratePerMinute", ratePerMinute);
        json.put("concurrency", concurrency);
        json.put("loopPerMinute", loopPerMinute);
        ArrayNode limits = json.putArray("softLimits");
        softLimits.forEach(limits::add);
        json.put("webhook", webhook);
        json.put("issuedAt", issuedAt);
        return json;
    }
}
